package org.neurolake.model.optim;

/**
 * An optimizer's state as one flat float vector, which the training engine moves between driver and
 * workers: {@link #state()} returns a copy, {@link #setState} accepts exactly what it returns.
 */
public interface OptimizerState {
  /** A copy of the state, in a fixed order. */
  float[] state();

  /** Replaces the state with {@code state}, laid out as {@link #state()} returns it. */
  void setState(float[] state);

  /** Floats in {@link #state()}. */
  long stateSize();
}
