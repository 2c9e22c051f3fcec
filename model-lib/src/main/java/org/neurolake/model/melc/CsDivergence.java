package org.neurolake.model.melc;

/**
 * MELC's objective: the Cauchy-Schwarz divergence between the two classes' 1-D Gaussian kernel
 * density estimates of the projections {@code u·x},
 * {@code D(u) = log ip(A,A) + log ip(B,B) - 2 log ip(A,B)}, with
 * {@code ip(X,Y) = Σ_x Σ_y exp(-(u·x - u·y)² / 2H) / (|X||Y|√(2πH))} and one bandwidth {@code H}
 * for all three ({@link Bandwidth}). The normalizing factors cancel in {@code D}, so implementations
 * work with the raw kernel sums {@code S(X,Y) = Σ_x Σ_y exp(-(u·x - u·y)²/2H)} (ordered pairs, the
 * diagonal included): {@code D = log S(A,A) + log S(B,B) - 2 log S(A,B)}. {@code D} does not change
 * when {@code u} is scaled (H scales with the projections' variance).
 *
 * <p>Implementations are the exact O(n²) sum and two approximations with a user-set acceptable
 * error ε: {@link DiscardCsDivergence} and {@link BinnedCsDivergence}; each returns, with the value,
 * a bound it certifies on its distance from the exact value.
 */
public interface CsDivergence {
  /**
   * D at direction {@code u} (any nonzero length; the caller normalizes), its gradient with respect
   * to {@code u} taken as if the projections were {@code u·x} (no normalization), and the
   * certified bound on |D - D_exact| (0 for the exact sum).
   */
  Evaluation evaluate(double[] u);

  /** The value, gradient and error bound of one evaluation. */
  record Evaluation(double value, double[] gradient, double errorBound) {}
}
