package org.neurolake.model.melc;

import java.util.Arrays;

/**
 * A two-class training set for MELC: rows {@code x[i]} (all of one width) with labels {@code y[i]}
 * in {0, 1}; class A is label 0, class B label 1. Both classes must be present.
 */
public record LabeledPoints(double[][] x, int[] y) {
  public LabeledPoints {
    if (x.length != y.length || x.length == 0) {
      throw new IllegalArgumentException("x and y must be nonempty and of one length: " + x.length + " vs " + y.length);
    }
    int d = x[0].length;
    long ones = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has " + x[i].length + " features, row 0 has " + d);
      }
      if (y[i] != 0 && y[i] != 1) {
        throw new IllegalArgumentException("label of row " + i + " is " + y[i] + ", not 0 or 1");
      }
      ones += y[i];
    }
    if (ones == 0 || ones == x.length) {
      throw new IllegalArgumentException("MELC needs both classes; labels are all " + y[0]);
    }
  }

  public int size() {
    return y.length;
  }

  public int dims() {
    return x[0].length;
  }

  /** The projections {@code u·x_i}. */
  public double[] project(double[] u) {
    double[] p = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      p[i] = dot(u, x[i]);
    }
    return p;
  }

  /** Class moments of the projections {@code p} (class A = label 0 first). */
  public Bandwidth bandwidth(double gamma, double[] p) {
    Bandwidth.Moments a = new Bandwidth.Moments(0, 0, 0);
    Bandwidth.Moments b = a;
    for (int i = 0; i < p.length; i++) {
      if (y[i] == 0) {
        a = a.plus(p[i]);
      } else {
        b = b.plus(p[i]);
      }
    }
    return new Bandwidth(gamma, a, b);
  }

  /**
   * The gradient {@code Σ_k c_k x_k} with {@code c_k = dD/dp_k} (given directly, per point) plus
   * the bandwidth's share {@code dD/dH · dH/dp_k}.
   */
  double[] gradient(double[] directPerPoint, double dDdH, Bandwidth bw, double[] p) {
    double slopeA = bw.slope(bw.a());
    double slopeB = bw.slope(bw.b());
    double meanA = bw.a().mean();
    double meanB = bw.b().mean();
    double[] g = new double[dims()];
    for (int k = 0; k < p.length; k++) {
      double c = directPerPoint[k] + dDdH * (y[k] == 0 ? slopeA * (p[k] - meanA) : slopeB * (p[k] - meanB));
      double[] xk = x[k];
      for (int j = 0; j < g.length; j++) {
        g[j] += c * xk[j];
      }
    }
    return g;
  }

  /** The rows with label {@code positive} as 1, every other label as 0 (one-vs-rest). */
  public static int[] oneVsRest(int[] labels, int positive) {
    return Arrays.stream(labels).map(l -> l == positive ? 1 : 0).toArray();
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
