package org.neurolake.model.melc;

import java.util.Random;

/** Small generated two-class sets for the MELC tests. */
final class MelcFixtures {
  private MelcFixtures() {}

  /** Gaussian rows, class B (label 1, probability 0.4) shifted by {@code shift} along every axis. */
  static LabeledPoints gaussian(int n, int dims, double shift, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][dims];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i < 2 ? i : (r.nextDouble() < 0.4 ? 1 : 0);
      for (int j = 0; j < dims; j++) {
        x[i][j] = r.nextGaussian() * (1 + 0.3 * j) + y[i] * shift;
      }
    }
    return new LabeledPoints(x, y);
  }

  /**
   * Two features: class A near 0 on axis 0, class B at -3 or +3 on it (no single threshold
   * separates them; two do); axis 1 is noise of larger spread.
   */
  static LabeledPoints twoThresholds(int n, long seed) {
    Random r = new Random(seed);
    double[][] x = new double[n][2];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      double centre = y[i] == 0 ? 0 : (r.nextBoolean() ? 3 : -3);
      x[i][0] = centre + 0.5 * r.nextGaussian();
      x[i][1] = 2 * r.nextGaussian();
    }
    return new LabeledPoints(x, y);
  }

  static double[] randomUnit(int dims, Random r) {
    double[] u = new double[dims];
    for (int i = 0; i < dims; i++) {
      u[i] = r.nextGaussian();
    }
    return MelcTrainer.unit(u);
  }
}
