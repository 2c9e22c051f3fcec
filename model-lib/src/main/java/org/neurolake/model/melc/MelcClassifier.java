package org.neurolake.model.melc;

import java.util.Arrays;

/**
 * MELC's prediction rule on direction {@code u}: project, and compare the two classes' 1-D Gaussian
 * kernel density estimates of the training projections (each class's bandwidth by Silverman's
 * rule times γ, {@link Bandwidth#classKernelVariance}) weighted by the class priors; the larger
 * wins. The decision changes class at every crossing of the two weighted densities, so it has
 * {@link #thresholds()} thresholds, not one.
 */
public final class MelcClassifier {
  /** Points of the grid on which {@link #thresholds()} counts the decision's changes of class. */
  public static final int THRESHOLD_GRID = 4096;
  /** Smallest kernel variance relative to the projections' spread, against a class of identical projections. */
  private static final double MIN_RELATIVE_VARIANCE = 1e-12;

  private final double[] u;
  private final double[] projectionsA;
  private final double[] projectionsB;
  private final double hA;
  private final double hB;
  private final double logPriorA;
  private final double logPriorB;

  private MelcClassifier(double[] u, double[] projectionsA, double[] projectionsB, double hA, double hB,
      double logPriorA, double logPriorB) {
    this.u = u;
    this.projectionsA = projectionsA;
    this.projectionsB = projectionsB;
    this.hA = hA;
    this.hB = hB;
    this.logPriorA = logPriorA;
    this.logPriorB = logPriorB;
  }

  public static MelcClassifier fit(LabeledPoints data, double[] u, double gamma, MelcSpec.Priors priors) {
    double[] p = data.project(u);
    int nB = Arrays.stream(data.y()).sum();
    int nA = p.length - nB;
    double[] a = new double[nA];
    double[] b = new double[nB];
    for (int i = 0, ia = 0, ib = 0; i < p.length; i++) {
      if (data.y()[i] == 0) {
        a[ia++] = p[i];
      } else {
        b[ib++] = p[i];
      }
    }
    Arrays.sort(a);
    Arrays.sort(b);
    double floor = MIN_RELATIVE_VARIANCE * (1 + Bandwidth.Moments.of(p).variance());
    double hA = Math.max(floor, Bandwidth.classKernelVariance(gamma, Bandwidth.Moments.of(a)));
    double hB = Math.max(floor, Bandwidth.classKernelVariance(gamma, Bandwidth.Moments.of(b)));
    double logPriorA = priors == MelcSpec.Priors.EQUAL ? 0 : Math.log((double) nA / p.length);
    double logPriorB = priors == MelcSpec.Priors.EQUAL ? 0 : Math.log((double) nB / p.length);
    return new MelcClassifier(u.clone(), a, b, hA, hB, logPriorA, logPriorB);
  }

  public double[] direction() {
    return u.clone();
  }

  /** {@code log(π_B f_B(t)) - log(π_A f_A(t))} at projection t: positive means class B (label 1). */
  public double scoreAt(double t) {
    return logPriorB + logDensity(projectionsB, hB, t) - logPriorA - logDensity(projectionsA, hA, t);
  }

  /** {@link #scoreAt} of row x's projection. */
  public double score(double[] x) {
    return scoreAt(LabeledPoints.dot(u, x));
  }

  /** 1 (class B) or 0 (class A). */
  public int predict(double[] x) {
    return score(x) > 0 ? 1 : 0;
  }

  /**
   * How many thresholds the decision has: its changes of class on a grid of
   * {@value #THRESHOLD_GRID} points spanning the training projections and three kernel widths
   * beyond (outside that span the class with the wider kernel wins for good).
   */
  public int thresholds() {
    double spread = 3 * Math.sqrt(Math.max(hA, hB));
    double lo = Math.min(projectionsA[0], projectionsB[0]) - spread;
    double hi = Math.max(projectionsA[projectionsA.length - 1], projectionsB[projectionsB.length - 1]) + spread;
    int changes = 0;
    boolean previous = scoreAt(lo) > 0;
    for (int g = 1; g < THRESHOLD_GRID; g++) {
      boolean now = scoreAt(lo + (hi - lo) * g / (THRESHOLD_GRID - 1)) > 0;
      if (now != previous) {
        changes++;
      }
      previous = now;
    }
    return changes;
  }

  /** {@code log((1/n) Σ N(t; p, h))}, by log-sum-exp. */
  private static double logDensity(double[] sortedProjections, double h, double t) {
    double maxExponent = Double.NEGATIVE_INFINITY;
    for (double p : sortedProjections) {
      maxExponent = Math.max(maxExponent, -(t - p) * (t - p) / (2 * h));
    }
    double sum = 0;
    for (double p : sortedProjections) {
      sum += Math.exp(-(t - p) * (t - p) / (2 * h) - maxExponent);
    }
    return maxExponent + Math.log(sum / sortedProjections.length) - 0.5 * Math.log(2 * Math.PI * h);
  }
}
