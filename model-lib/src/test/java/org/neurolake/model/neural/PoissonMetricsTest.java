package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PoissonMetricsTest {
  // 1 trial, 2 bins, 2 neurons; time-major: (bin 0: n0, n1), (bin 1: n0, n1).
  static final SpikeCounts Y = new SpikeCounts(1, 2, 2, 10.0, new double[] {1, 0, 2, 1});
  static final Rates R = new Rates(1, 2, 2, 10.0, new double[] {0.5, 0.2, 1.0, 0.4});

  @Test
  void logLikelihoodMatchesTheHandComputedSum() {
    // (log .5 - .5) + (-.2) + (0 - 1 - log 2) + (log .4 - .4)
    assertEquals(-4.402585092994045, PoissonMetrics.logLikelihood(R, Y), 1e-12);
  }

  @Test
  void bitsPerSpikeMatchesTheHandComputedValue() {
    // null rates: neuron 0 mean 1.5, neuron 1 mean 0.5; LL(null) = -4.169899036795397; 4 spikes.
    Rates nul = PoissonMetrics.nullRates(Y);
    assertEquals(1.5, nul.rate(0, 1, 0), 0);
    assertEquals(0.5, nul.rate(0, 0, 1), 0);
    assertEquals(-4.169899036795397, PoissonMetrics.logLikelihood(nul, Y), 1e-12);
    assertEquals((-4.402585092994045 + 4.169899036795397) / (4 * Math.log(2)), PoissonMetrics.bitsPerSpike(R, Y),
        1e-12);
    assertEquals(-0.08392375484044992, PoissonMetrics.bitsPerSpike(R, Y), 1e-12);
  }

  @Test
  void theNullModelScoresZeroAndTheTrueRatesScoreAboveZero() {
    Simulated sim = Simulated.latentDriven(40, 50, 10, 2, 3);
    assertEquals(0.0, PoissonMetrics.bitsPerSpike(PoissonMetrics.nullRates(sim.counts), sim.counts), 1e-12);
    double bps = PoissonMetrics.bitsPerSpike(sim.rates, sim.counts);
    assertTrue(bps > 0.05, "true rates: " + bps);
  }

  @Test
  void aZeroRateIsReplacedByNlbsFloorButASmallPositiveRateIsNot() {
    SpikeCounts y = new SpikeCounts(1, 1, 2, 10.0, new double[] {1, 0});
    Rates zero = new Rates(1, 1, 2, 10.0, new double[] {0, 0});
    Rates floor = new Rates(1, 1, 2, 10.0, new double[] {1e-9, 1e-9});
    Rates tiny = new Rates(1, 1, 2, 10.0, new double[] {1e-12, 1e-12});
    assertEquals(Math.log(1e-9) - 2e-9, PoissonMetrics.logLikelihood(zero, y), 1e-12);
    assertEquals(PoissonMetrics.logLikelihood(floor, y), PoissonMetrics.logLikelihood(zero, y), 0);
    assertNotEquals(PoissonMetrics.logLikelihood(floor, y), PoissonMetrics.logLikelihood(tiny, y));
    assertTrue(Double.isFinite(PoissonMetrics.bitsPerSpike(zero, y)));
  }

  @Test
  void rejectsMismatchedShapesNegativeRatesAndSpikelessData() {
    Rates other = new Rates(1, 2, 2, 20.0, new double[] {0.5, 0.2, 1.0, 0.4});
    assertThrows(IllegalArgumentException.class, () -> PoissonMetrics.bitsPerSpike(other, Y));
    assertThrows(IllegalArgumentException.class, () -> new Rates(1, 1, 1, 10.0, new double[] {-0.1}));
    SpikeCounts none = new SpikeCounts(1, 2, 2, 10.0, new double[4]);
    assertThrows(IllegalArgumentException.class, () -> PoissonMetrics.bitsPerSpike(R, none));
  }
}
