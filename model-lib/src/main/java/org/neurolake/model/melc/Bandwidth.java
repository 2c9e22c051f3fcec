package org.neurolake.model.melc;

/**
 * Silverman's rule for the kernel variance of the objective (one H for both classes, as in the
 * MELC paper): {@code H = γ²(4/3)^{2/5}(|A|^{-2/5} Var(uA) + |B|^{-2/5} Var(uB))}, the variances
 * the population (1/n) variances of the projected classes. Holds each class's projection
 * moments, which are additive over data partitions, and gives the factors of {@code dH/du}.
 */
public record Bandwidth(double gamma, Moments a, Moments b) {
  /** {@code (4/3)^{2/5}}: Silverman's constant for the variance (bandwidth²) of a Gaussian kernel. */
  public static final double SILVERMAN = Math.pow(4.0 / 3.0, 0.4);

  /** Count, sum and sum of squares of one class's projections. */
  public record Moments(long n, double sum, double sumSquares) {
    public double mean() {
      return sum / n;
    }

    public double variance() {
      double m = mean();
      return Math.max(0.0, sumSquares / n - m * m);
    }

    public Moments plus(double p) {
      return new Moments(n + 1, sum + p, sumSquares + p * p);
    }

    public Moments plus(Moments o) {
      return new Moments(n + o.n, sum + o.sum, sumSquares + o.sumSquares);
    }

    public static Moments of(double[] p) {
      Moments m = new Moments(0, 0, 0);
      for (double v : p) {
        m = m.plus(v);
      }
      return m;
    }
  }

  public Bandwidth {
    if (!(gamma > 0) || a.n() < 1 || b.n() < 1) {
      throw new IllegalArgumentException("gamma > 0 and two nonempty classes required: gamma=" + gamma
          + " |A|=" + a.n() + " |B|=" + b.n());
    }
  }

  /** {@code γ²(4/3)^{2/5} n^{-2/5}}: H's weight on one class's variance. */
  public double weight(long n) {
    return gamma * gamma * SILVERMAN * Math.pow(n, -0.4);
  }

  /** The kernel variance H of the objective. */
  public double h() {
    return weight(a.n()) * a.variance() + weight(b.n()) * b.variance();
  }

  /**
   * {@code dH/dp_k} for a point of class A is {@code slopeA · (p_k - mean_A)} ({@code 2 weight / n}).
   */
  public double slope(Moments m) {
    return 2.0 * weight(m.n()) / m.n();
  }

  /** One class's own Silverman kernel variance {@code γ²(4/3)^{2/5} n^{-2/5} Var}, for its density estimate. */
  public static double classKernelVariance(double gamma, Moments m) {
    return gamma * gamma * SILVERMAN * Math.pow(m.n(), -0.4) * m.variance();
  }
}
