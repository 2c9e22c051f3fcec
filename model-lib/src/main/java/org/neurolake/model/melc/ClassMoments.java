package org.neurolake.model.melc;

import java.io.Serializable;

/**
 * Per class: the count, the feature sums {@code Σx} and the second moments {@code Σxxᵀ}. They give
 * any projection's class moments ({@code Σ u·x = u·Σx}, {@code Σ (u·x)² = uᵀ(Σxxᵀ)u}) and so the
 * bandwidth H and {@code dH/du} without a pass over the data: computed once, additive over
 * partitions. Class A is label 0, class B label 1.
 */
public final class ClassMoments implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int dims;
  private final long[] n = new long[2];
  private final double[][] sum;
  private final double[][] second;

  public ClassMoments(int dims) {
    this.dims = dims;
    this.sum = new double[2][dims];
    this.second = new double[2][dims * dims];
  }

  public static ClassMoments of(LabeledPoints data) {
    ClassMoments m = new ClassMoments(data.dims());
    for (int i = 0; i < data.size(); i++) {
      m.add(data.x()[i], data.y()[i]);
    }
    return m;
  }

  public int dims() {
    return dims;
  }

  public long count(int label) {
    return n[label];
  }

  public ClassMoments add(double[] x, int label) {
    n[label]++;
    double[] s = sum[label];
    double[] q = second[label];
    for (int i = 0; i < dims; i++) {
      s[i] += x[i];
      double xi = x[i];
      int row = i * dims;
      for (int j = 0; j < dims; j++) {
        q[row + j] += xi * x[j];
      }
    }
    return this;
  }

  /** Adds {@code other} into this one and returns this (for Spark's reduce). */
  public ClassMoments merge(ClassMoments other) {
    for (int c = 0; c < 2; c++) {
      n[c] += other.n[c];
      for (int i = 0; i < sum[c].length; i++) {
        sum[c][i] += other.sum[c][i];
      }
      for (int i = 0; i < second[c].length; i++) {
        second[c][i] += other.second[c][i];
      }
    }
    return this;
  }

  /** The Silverman bandwidth of the projections {@code u·x}. */
  public Bandwidth bandwidth(double gamma, double[] u) {
    return new Bandwidth(gamma, moments(0, u), moments(1, u));
  }

  private Bandwidth.Moments moments(int c, double[] u) {
    double[] qu = times(c, u);
    return new Bandwidth.Moments(n[c], LabeledPoints.dot(u, sum[c]), LabeledPoints.dot(u, qu));
  }

  private double[] times(int c, double[] u) {
    double[] out = new double[dims];
    double[] q = second[c];
    for (int i = 0; i < dims; i++) {
      double s = 0;
      int row = i * dims;
      for (int j = 0; j < dims; j++) {
        s += q[row + j] * u[j];
      }
      out[i] = s;
    }
    return out;
  }

  /** {@code dH/du = Σ_c slope_c Σ_{k∈c} (p_k - mean_c) x_k = Σ_c slope_c ((Σxxᵀ)u - mean_c Σx)}. */
  public double[] bandwidthGradient(Bandwidth bw, double[] u) {
    double[] g = new double[dims];
    Bandwidth.Moments[] m = {bw.a(), bw.b()};
    for (int c = 0; c < 2; c++) {
      double slope = bw.slope(m[c]);
      double mean = m[c].mean();
      double[] qu = times(c, u);
      for (int i = 0; i < dims; i++) {
        g[i] += slope * (qu[i] - mean * sum[c][i]);
      }
    }
    return g;
  }
}
