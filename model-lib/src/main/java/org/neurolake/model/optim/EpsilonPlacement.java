package org.neurolake.model.optim;

/**
 * Where Adam adds its epsilon. Both forms bias-correct the moments (m_t, v_t below are the raw
 * exponential averages, t the 1-based update number); they differ only in the epsilon's scale, by
 * the factor sqrt(1 - beta2^t), which matters early in training and when epsilon is not tiny
 * relative to sqrt(v) (LFADS uses epsilon 0.1).
 */
public enum EpsilonPlacement {
  /**
   * {@code p -= alpha_t m_t / (sqrt(v_t) + epsilon)} with
   * {@code alpha_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)}: the bias correction folded into the
   * step size, epsilon added to the uncorrected sqrt(v_t). This is the reformulation given at the
   * end of Section 2 of Kingma and Ba (their epsilon-hat), and the form of TensorFlow's
   * {@code ApplyAdam}/Keras and of DL4J's {@code AdamUpdater}. Both of this project's models use it.
   */
  ALPHA_T,

  /**
   * {@code p -= lr m^_t / (sqrt(v^_t) + epsilon)} with {@code m^_t = m_t / (1 - beta1^t)} and
   * {@code v^_t = v_t / (1 - beta2^t)}: epsilon added after bias correction, as in Algorithm 1 of
   * Kingma and Ba (and PyTorch's {@code torch.optim.Adam}). Equivalent to {@link #ALPHA_T} with
   * epsilon scaled by sqrt(1 - beta2^t).
   */
  AFTER_BIAS_CORRECTION
}
