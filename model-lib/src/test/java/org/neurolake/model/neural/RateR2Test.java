package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RateR2Test {
  @Test
  void handComputedCase() {
    // One neuron, 3 bins: truth 1 2 3 (mean 2, SS_tot 2), prediction 1 2 2 (SS_res 1).
    Rates truth = new Rates(1, 3, 1, 10.0, new double[] {1, 2, 3});
    Rates pred = new Rates(1, 3, 1, 10.0, new double[] {1, 2, 2});
    assertEquals(0.5, RateR2.meanOverNeurons(pred, truth), 1e-15);
    assertEquals(0.5, RateR2.pooled(pred, truth), 1e-15);
  }

  @Test
  void identicalRatesScoreOneAndTheMeanScoresZero() {
    Rates truth = Simulated.latentDriven(20, 30, 5, 2, 1).rates;
    assertEquals(1.0, RateR2.meanOverNeurons(truth, truth), 0);
    assertEquals(1.0, RateR2.pooled(truth, truth), 0);
    // Each neuron's own mean: per-neuron R^2 exactly 0.
    double[] t = truth.perBin();
    double[] mean = new double[5];
    for (int i = 0; i < t.length; i++) {
      mean[i % 5] += t[i] / (20 * 30);
    }
    double[] m = new double[t.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = mean[i % 5];
    }
    Rates perNeuronMean = new Rates(20, 30, 5, 10.0, m);
    assertArrayEquals(new double[5], RateR2.perNeuron(perNeuronMean, truth), 1e-12);
    // The pooled version credits getting each neuron's mean right.
    assertTrue(RateR2.pooled(perNeuronMean, truth) > 0);
    // The grand mean: pooled R^2 exactly 0.
    double grand = java.util.Arrays.stream(t).average().orElseThrow();
    Rates grandMean = new Rates(20, 30, 5, 10.0, java.util.Arrays.stream(t).map(v -> grand).toArray());
    assertEquals(0.0, RateR2.pooled(grandMean, truth), 1e-12);
  }

  @Test
  void perNeuronAndPooledDifferAsDocumented() {
    // Two neurons: neuron 0 perfect, neuron 1 predicted by its mean.
    Rates truth = new Rates(1, 2, 2, 10.0, new double[] {1, 10, 3, 12});
    Rates pred = new Rates(1, 2, 2, 10.0, new double[] {1, 11, 3, 11});
    assertArrayEquals(new double[] {1.0, 0.0}, RateR2.perNeuron(pred, truth), 1e-15);
    assertEquals(0.5, RateR2.meanOverNeurons(pred, truth), 1e-15);
    // grand mean 6.5; SS_tot = 5.5^2 + 3.5^2 + 3.5^2 + 5.5^2 = 85; SS_res = 2.
    assertEquals(1 - 2.0 / 85, RateR2.pooled(pred, truth), 1e-15);
  }

  @Test
  void constantTruthIsRejected() {
    Rates truth = new Rates(1, 2, 1, 10.0, new double[] {3, 3});
    assertThrows(IllegalArgumentException.class, () -> RateR2.meanOverNeurons(truth, truth));
  }
}
