package org.neurolake.sentiment;

/**
 * Labeled examples as sparse feature vectors (a text baseline's hashed counts, {@link TextBaselines#featurize}):
 * per example the ascending indices of its non-zero features and their values.
 *
 * <p>The outer arrays are copied; the rows themselves are shared, not copied (subsets reuse them),
 * and nothing here writes to them.
 */
public record SparseFeatures(int features, int[][] indices, double[][] values, int[] labels) implements ProbeExamples {
  public SparseFeatures {
    if (features < 1 || indices.length != labels.length || values.length != labels.length || labels.length == 0) {
      throw new IllegalArgumentException("need features >= 1 and as many (> 0) index rows, value rows and labels,"
          + " got " + features + ", " + indices.length + ", " + values.length + ", " + labels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (indices[i].length != values[i].length) {
        throw new IllegalArgumentException("example " + i + " has " + indices[i].length + " indices and "
            + values[i].length + " values");
      }
      for (int k = 0; k < indices[i].length; k++) {
        if (indices[i][k] < 0 || indices[i][k] >= features || (k > 0 && indices[i][k] <= indices[i][k - 1])) {
          throw new IllegalArgumentException("example " + i + ": feature indices must ascend within [0, " + features
              + "), got " + java.util.Arrays.toString(indices[i]));
        }
      }
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("example " + i + " has label " + labels[i] + "; the probe is binary"
            + " (0 = negative, 1 = positive)");
      }
    }
    indices = indices.clone();
    values = values.clone();
    labels = labels.clone();
  }

  @Override
  public int[][] indices() {
    return indices.clone();
  }

  @Override
  public double[][] values() {
    return values.clone();
  }

  @Override
  public int[] labels() {
    return labels.clone();
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public SparseFeatures subset(int[] rows) {
    int[][] ix = new int[rows.length][];
    double[][] v = new double[rows.length][];
    int[] y = new int[rows.length];
    for (int k = 0; k < rows.length; k++) {
      ix[k] = indices[rows[k]];
      v[k] = values[rows[k]];
      y[k] = labels[rows[k]];
    }
    return new SparseFeatures(features, ix, v, y);
  }

  @Override
  public long storedValues() {
    long n = 0;
    for (int[] row : indices) {
      n += row.length;
    }
    return n;
  }

  @Override
  public double accuracy(LinearProbe probe) {
    if (probe.weights().length != features) {
      throw new IllegalArgumentException("examples of " + features + " features for a probe of "
          + probe.weights().length + " weights");
    }
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      double m = probe.intercept();
      for (int k = 0; k < indices[i].length; k++) {
        m += probe.weight(indices[i][k]) * values[i][k];
      }
      right += (m > 0 ? 1 : 0) == labels[i] ? 1 : 0;
    }
    return (double) right / labels.length;
  }

  @Override
  public void nonZeros(int i, NonZero to) {
    for (int k = 0; k < indices[i].length; k++) {
      if (values[i][k] != 0) {
        to.accept(indices[i][k], values[i][k]);
      }
    }
  }
}
