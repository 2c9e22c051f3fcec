package org.neurolake.model.neural;

/** How a baseline's hyperparameters were chosen on the validation trials (higher scores are better). */
public enum SelectionCriterion {
  /**
   * Mean-over-neurons R^2 against the true rates ({@link RateR2#meanOverNeurons}); only possible on
   * synthetic data, and it gives the baseline its best possible setting, since no real method could
   * choose with the truth.
   */
  TRUE_RATE_R2,
  /** Bits per spike of the held-out neurons' predicted rates ({@link PoissonMetrics#bitsPerSpike}). */
  HELD_OUT_CO_BPS,
  /** Bits per spike of each bin's rate estimated from the other bins of its trial (leave-one-bin-out). */
  LEAVE_ONE_BIN_OUT_BPS
}
