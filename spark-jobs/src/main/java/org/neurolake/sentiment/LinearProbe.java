package org.neurolake.sentiment;

/**
 * A fitted binary logistic-regression probe as plain numbers: predicts 1 when w.x + b > 0 (MLlib's
 * default 0.5 probability threshold). Scores held-out features on the driver without a Spark job
 * per candidate penalty.
 */
public record LinearProbe(double[] weights, double intercept) {
  public LinearProbe {
    weights = weights.clone();
  }

  public int predict(float[] x) {
    if (x.length != weights.length) {
      throw new IllegalArgumentException("a feature vector of " + x.length + " values for a probe of "
          + weights.length + " weights");
    }
    double m = intercept;
    for (int j = 0; j < x.length; j++) {
      m += weights[j] * x[j];
    }
    return m > 0 ? 1 : 0;
  }

  public double accuracy(float[][] x, int[] labels) {
    if (x.length != labels.length || x.length == 0) {
      throw new IllegalArgumentException("need as many (> 0) feature vectors as labels, got " + x.length + " and "
          + labels.length);
    }
    int right = 0;
    for (int i = 0; i < x.length; i++) {
      right += predict(x[i]) == labels[i] ? 1 : 0;
    }
    return (double) right / x.length;
  }

  /** Weights that are not exactly zero (the L1 penalty's sparsity). */
  public int nonZeroWeights() {
    int n = 0;
    for (double w : weights) {
      n += w != 0 ? 1 : 0;
    }
    return n;
  }

  /** The feature with the largest absolute weight (the lowest index on ties); -1 when all are zero. */
  public int largestWeight() {
    int best = -1;
    for (int j = 0; j < weights.length; j++) {
      if (weights[j] != 0 && (best < 0 || Math.abs(weights[j]) > Math.abs(weights[best]))) {
        best = j;
      }
    }
    return best;
  }

  public double weight(int j) {
    return weights[j];
  }
}
