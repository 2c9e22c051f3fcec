package org.neurolake.model.melc;

/**
 * The paper's trick that lets an unconstrained minimizer search the unit sphere: minimize
 * {@code f(w) = -D(w/‖w‖) + λ(‖w‖² - 1)²}. D is scale-free, so the maximizers of D on the sphere
 * are the minimizers of f; the penalty only keeps ‖w‖ near 1 so the steps stay well scaled.
 * {@code ∇f = -(I - uuᵀ)∇D(u)/‖w‖ + 4λ(‖w‖² - 1)w} with {@code u = w/‖w‖}.
 */
public final class SphereObjective {
  private final CsDivergence divergence;
  private final double lambda;
  private long evaluations;
  private double worstBound;

  public SphereObjective(CsDivergence divergence, double lambda) {
    if (!(lambda >= 0)) {
      throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
    }
    this.divergence = divergence;
    this.lambda = lambda;
  }

  /** {@code f(w)} into the returned value and its gradient into {@code gradientOut}. */
  public double valueAndGradient(double[] w, double[] gradientOut) {
    double norm = Math.sqrt(LabeledPoints.dot(w, w));
    if (!(norm > 0)) {
      throw new IllegalArgumentException("the direction is zero");
    }
    double[] u = new double[w.length];
    for (int i = 0; i < w.length; i++) {
      u[i] = w[i] / norm;
    }
    CsDivergence.Evaluation e = divergence.evaluate(u);
    evaluations++;
    worstBound = Math.max(worstBound, e.errorBound());
    double[] g = e.gradient();
    double radial = LabeledPoints.dot(u, g);
    double excess = norm * norm - 1;
    for (int i = 0; i < w.length; i++) {
      gradientOut[i] = -(g[i] - radial * u[i]) / norm + 4 * lambda * excess * w[i];
    }
    return -e.value() + lambda * excess * excess;
  }

  public long evaluations() {
    return evaluations;
  }

  /** The largest certified error bound among the evaluations so far. */
  public double worstBound() {
    return worstBound;
  }
}
