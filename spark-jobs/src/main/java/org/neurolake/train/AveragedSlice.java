package org.neurolake.train;

import java.io.Serializable;
import java.util.List;

/**
 * What one slice task returns: slice {@code slice} of the averaged parameters and optimizer state,
 * or, when some accepted results' blocks for it were gone, the tasks whose results must be
 * recomputed ({@code missing}, non-empty, and no values).
 */
public record AveragedSlice(int slice, PackedFloats packedParameters, PackedFloats packedState,
    List<Integer> missing) implements Serializable {

  static AveragedSlice of(int slice, float[] parameters, float[] state) {
    return new AveragedSlice(slice, new PackedFloats(parameters), new PackedFloats(state), List.of());
  }

  static AveragedSlice lost(int slice, List<Integer> missing) {
    return new AveragedSlice(slice, null, null, List.copyOf(missing));
  }

  public boolean complete() {
    return missing.isEmpty();
  }
}
