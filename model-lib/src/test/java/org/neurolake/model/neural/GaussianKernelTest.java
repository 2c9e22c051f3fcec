package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GaussianKernelTest {
  @Test
  void everyRowSumsToOneInsideAndAtTheEdges() {
    for (double sigma : new double[] {0, 0.5, 2, 7}) {
      int bins = 30;
      double[] w = new GaussianKernel(sigma).weights(bins);
      for (int t = 0; t < bins; t++) {
        double sum = 0;
        for (int u = 0; u < bins; u++) {
          assertTrue(w[t * bins + u] >= 0);
          sum += w[t * bins + u];
        }
        assertEquals(1.0, sum, 1e-12, "sigma " + sigma + " row " + t);
      }
    }
  }

  @Test
  void interiorRowsAreTheNormalizedGaussianAndEdgeRowsAreRenormalized() {
    double sigma = 2;
    int bins = 40;
    GaussianKernel k = new GaussianKernel(sigma);
    assertEquals(8, k.radius());
    double[] w = k.weights(bins);
    double full = 0;
    for (int d = -8; d <= 8; d++) {
      full += Math.exp(-d * d / 8.0);
    }
    int t = 20;
    assertEquals(1 / full, w[t * bins + t], 1e-15);
    assertEquals(Math.exp(-9 / 8.0) / full, w[t * bins + t + 3], 1e-15);
    assertEquals(w[t * bins + t - 3], w[t * bins + t + 3], 1e-15);
    assertEquals(0.0, w[t * bins + t + 9], 0);
    // Bin 0 only sees bins 0..8, so its weights are the one-sided kernel rescaled to sum 1.
    double half = 0;
    for (int d = 0; d <= 8; d++) {
      half += Math.exp(-d * d / 8.0);
    }
    assertEquals(1 / half, w[0], 1e-15);
  }

  @Test
  void aConstantSignalStaysConstantUpToTheTrialEdges() {
    double[] c = new double[25];
    java.util.Arrays.fill(c, 3);
    SpikeCounts counts = new SpikeCounts(1, 25, 1, 10.0, c);
    Rates s = new GaussianKernel(4).smooth(counts);
    for (int t = 0; t < 25; t++) {
      assertEquals(3.0, s.rate(0, t, 0), 1e-12);
    }
  }

  @Test
  void smoothingStaysWithinItsTrialAndNeuron() {
    // Trial 0 neuron 1 has one spike at bin 15 of 30; nothing else anywhere.
    double[] c = new double[2 * 30 * 2];
    c[(0 * 30 + 15) * 2 + 1] = 1;
    Rates s = new GaussianKernel(1.5).smooth(new SpikeCounts(2, 30, 2, 10.0, c));
    double total = 0;
    for (int t = 0; t < 30; t++) {
      assertEquals(0.0, s.rate(0, t, 0), 0);
      assertEquals(0.0, s.rate(1, t, 1), 0);
      total += s.rate(0, t, 1);
    }
    assertTrue(s.rate(0, 15, 1) > s.rate(0, 14, 1) && s.rate(0, 14, 1) > s.rate(0, 13, 1));
    assertEquals(s.rate(0, 14, 1), s.rate(0, 16, 1), 1e-15);
    assertEquals(1.0, total, 1e-12); // away from the edges every row is the same normalized kernel
  }

  @Test
  void leaveOneOutWeightsSkipTheBinItself() {
    int bins = 12;
    double[] w = new GaussianKernel(1.5).leaveOneOutWeights(bins);
    for (int t = 0; t < bins; t++) {
      assertEquals(0.0, w[t * bins + t], 0);
      double sum = 0;
      for (int u = 0; u < bins; u++) {
        sum += w[t * bins + u];
      }
      assertEquals(1.0, sum, 1e-12);
    }
    assertThrows(IllegalArgumentException.class, () -> new GaussianKernel(0).leaveOneOutWeights(bins));
  }

  @Test
  void zeroWidthIsTheIdentity() {
    SpikeCounts y = new SpikeCounts(1, 3, 2, 10.0, new double[] {1, 0, 2, 4, 0, 1});
    assertEquals(new Rates(1, 3, 2, 10.0, y.counts()), new GaussianKernel(0).smooth(y));
    assertThrows(IllegalArgumentException.class, () -> new GaussianKernel(-1));
  }
}
