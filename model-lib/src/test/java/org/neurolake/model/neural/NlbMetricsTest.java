package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** fp-bps and PSTH R^2 against computations by hand. */
class NlbMetricsTest {
  /** 2 trials x 3 bins x 1 neuron. */
  private static SpikeCounts counts(double... c) {
    return new SpikeCounts(c.length / 3, 3, 1, 10, c);
  }

  private static Rates rates(double... r) {
    return new Rates(r.length / 3, 3, 1, 10, r);
  }

  @Test
  void forwardBitsPerSpikeScoresOnlyTheLastBins() {
    // Last bin of each trial: counts 2 and 0; null rate = mean = 1; predicted 2 and 0.5.
    // LL gain = [2 ln 2 - 2 - (2 ln 1 - 1)] + [-0.5 - (-1)] = 2 ln 2 - 1 + 0.5 = 2 ln 2 - 0.5.
    double expected = (2 * Math.log(2) - 0.5) / (2 * Math.log(2));
    // The first two bins' rates are absurd on purpose: they must not count.
    SpikeCounts y = counts(5, 5, 2, 5, 5, 0);
    Rates r = rates(0.001, 0.001, 2, 0.001, 0.001, 0.5);
    assertEquals(expected, NlbMetrics.forwardBitsPerSpike(r, y, 1), 1e-12);
    assertEquals(PoissonMetrics.bitsPerSpike(r, y), NlbMetrics.forwardBitsPerSpike(r, y, 3), 1e-12,
        "all bins forward: co-bps of every neuron");
    assertThrows(IllegalArgumentException.class, () -> NlbMetrics.forwardBitsPerSpike(r, y, 0));
  }

  @Test
  void psthR2AveragesTrialsWithinConditions() {
    // Observed PSTHs: a = mean of trials 0 and 2, (0,2,4) and (2,2,2) = (1,2,3); b = trial 1 = (3,3,3).
    SpikeCounts y = counts(0, 2, 4, 3, 3, 3, 2, 2, 2);
    // Predicted PSTHs: a = mean of (1,2,2),(1,2,4) = (1,2,3): exact; b = (2,3,4).
    Rates r = rates(1, 2, 2, 2, 3, 4, 1, 2, 4);
    String[] cond = {"a", "b", "a"};
    // Points: a (1,2,3) vs (1,2,3); b (3,3,3) vs (2,3,4). Observed mean = 15/6 = 2.5.
    // Residual = 1 + 0 + 1 = 2; total = 2.25 + 0.25 + 0.25 + 3 * 0.25 = 3.5. R^2 = 1 - 2/3.5.
    assertEquals(1 - 2 / 3.5, NlbMetrics.psthR2(r, y, cond), 1e-12);
    assertNull(NlbMetrics.psthR2OrNull(r, y, new String[3]), "no conditions: no PSTH R^2");
  }

  @Test
  void psthR2AveragesOverNeuronsAndLeavesOutConstantOnes() {
    // 1 trial per condition, 2 bins, 3 neurons (time-major: bin, neuron). Neuron 2 is constant.
    SpikeCounts y = new SpikeCounts(2, 2, 3, 10, new double[] {0, 1, 5, 2, 1, 5, 4, 3, 5, 6, 3, 5});
    // Neuron 0 exact; neuron 1 observed (1,1,3,3) mean 2, predicted (2,1,3,3): R^2 = 1 - 1/4.
    Rates r = new Rates(2, 2, 3, 10, new double[] {0, 2, 1, 2, 1, 1, 4, 3, 1, 6, 3, 1});
    assertEquals((1 + 0.75) / 2, NlbMetrics.psthR2(r, y, new String[] {"x", "y"}), 1e-12);
  }
}
