package org.neurolake.train;

import java.io.Serializable;

/**
 * How the sharded mode cuts a result: its parameters and its (averaged) optimizer state, each into
 * the same number of slices; slice s of a result is one block holding slice s of both.
 */
public record SliceLayout(Slices parameters, Slices state) implements Serializable {
  public SliceLayout {
    if (parameters.count() != state.count()) {
      throw new IllegalArgumentException("parameters in " + parameters.count() + " slices, state in " + state.count());
    }
  }

  public static SliceLayout of(int parameters, int state, int count) {
    return new SliceLayout(new Slices(parameters, count), new Slices(state, count));
  }

  public int count() {
    return parameters.count();
  }
}
