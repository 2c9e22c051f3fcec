package org.neurolake.model.optim;

import java.util.Arrays;

/** Two optimizers' states as one: {@code first}'s, then {@code second}'s. */
public final class ConcatenatedState implements OptimizerState {
  private final OptimizerState first;
  private final OptimizerState second;

  public ConcatenatedState(OptimizerState first, OptimizerState second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public float[] state() {
    float[] a = first.state();
    float[] b = second.state();
    float[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Override
  public void setState(float[] state) {
    if (state.length != stateSize()) {
      throw new IllegalArgumentException("expected " + stateSize() + " optimizer state values, got " + state.length);
    }
    int split = (int) first.stateSize();
    first.setState(Arrays.copyOfRange(state, 0, split));
    second.setState(Arrays.copyOfRange(state, split, state.length));
  }

  @Override
  public long stateSize() {
    return first.stateSize() + second.stateSize();
  }
}
