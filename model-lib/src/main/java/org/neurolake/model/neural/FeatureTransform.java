package org.neurolake.model.neural;

/** What is applied to smoothed counts before they become regression or factor-analysis features. */
public enum FeatureTransform {
  /** The smoothed counts themselves. */
  IDENTITY,
  /** Square root: the usual variance-stabilizing transform of counts before factor analysis (Yu et al. 2009). */
  SQRT,
  /** {@code log(x + 1e-4)}, what NLB's smoothing baseline feeds its Poisson GLM ("gives better results"). */
  LOG;

  /** NLB's {@code log_offset}. */
  public static final double LOG_OFFSET = 1e-4;

  public double apply(double x) {
    return switch (this) {
      case IDENTITY -> x;
      case SQRT -> Math.sqrt(x);
      case LOG -> Math.log(x + LOG_OFFSET);
    };
  }

  /** The transformed rates as a samples x neurons matrix, one row per (trial, bin), trial-major. */
  RowMatrix features(Rates smoothed) {
    double[] v = smoothed.data();
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = apply(v[i]);
    }
    return RowMatrix.wrap(smoothed.trials() * smoothed.bins(), smoothed.neurons(), out);
  }
}
