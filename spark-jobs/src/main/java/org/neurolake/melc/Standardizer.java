package org.neurolake.melc;

/** Per-feature mean and standard deviation of the training rows, applied to any rows (a constant feature keeps std 1). */
public record Standardizer(double[] mean, double[] std) {
  public static Standardizer fit(double[][] train) {
    int d = train[0].length;
    double[] mean = new double[d];
    double[] std = new double[d];
    for (double[] r : train) {
      for (int j = 0; j < d; j++) {
        mean[j] += r[j] / train.length;
      }
    }
    for (double[] r : train) {
      for (int j = 0; j < d; j++) {
        std[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / train.length;
      }
    }
    for (int j = 0; j < d; j++) {
      std[j] = std[j] > 0 ? Math.sqrt(std[j]) : 1.0;
    }
    return new Standardizer(mean, std);
  }

  public double[][] apply(double[][] rows) {
    double[][] out = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = new double[rows[i].length];
      for (int j = 0; j < rows[i].length; j++) {
        out[i][j] = (rows[i][j] - mean[j]) / std[j];
      }
    }
    return out;
  }
}
