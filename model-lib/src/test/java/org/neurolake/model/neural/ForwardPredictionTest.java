package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurolake.model.lfads.LfadsTestData;

/** The baselines' forward predictor: ridge from the last observed rates to the forward counts. */
class ForwardPredictionTest {
  /** One neuron, 2 observed bins (rates 7, x), 1 forward bin with count 23 - 2x: an exact line. */
  @Test
  void recoversAnExactLinearRelation() {
    int n = 10;
    double[] rates = new double[n * 2];
    double[] forward = new double[n];
    for (int i = 0; i < n; i++) {
      rates[2 * i] = 7;
      rates[2 * i + 1] = i;
      forward[i] = 23 - 2 * i;
    }
    Rates r = new Rates(n, 2, 1, 10, rates);
    SpikeCounts y = new SpikeCounts(n, 1, 1, 10, forward);
    ForwardPrediction.Config cfg = new ForwardPrediction.Config(new int[] {1}, new double[] {1e-9}, 0.01);
    ForwardPrediction.Model m = ForwardPrediction.fit(cfg, r, y, r, y);
    Rates p = m.predict(new Rates(2, 2, 1, 10, new double[] {0, 4.5, 100, 0.25}));
    assertEquals(1, p.bins());
    assertEquals(14, p.rate(0, 0, 0), 1e-6, "23 - 2 * 4.5");
    assertEquals(22.5, p.rate(1, 0, 0), 1e-6, "23 - 2 * 0.25: the first observed bin is past the lag");
    // Far past the data the line goes negative: the rate is floored at 1% of the mean count 14.
    Rates below = m.predict(new Rates(1, 2, 1, 10, new double[] {7, 20}));
    assertEquals(0.14, below.rate(0, 0, 0), 1e-9);
    assertEquals(1, m.lagBins());
    assertEquals(Double.valueOf(1e-9), m.hyperparameters().get("fp_l2"));
  }

  /**
   * Trials of 3 neurons with a gain a in [1, 5]: observed rates a, forward counts Poisson(2a) in 2
   * bins. Chosen on validation, the predictor's test fp-bps approaches that of the true rates and
   * beats the mean by far; with the gains shuffled (features unrelated to the trial) it does not.
   */
  @Test
  void predictsFromTheTrialsGainAndChoosesOnValidation() {
    SplittableRandom rng = new SplittableRandom(3);
    Data train = data(rng, 300, false);
    Data valid = data(rng, 100, false);
    Data test = data(rng, 200, false);
    ForwardPrediction.Model m = ForwardPrediction.fit(ForwardPrediction.Config.defaults(), train.rates, train.forward,
        valid.rates, valid.forward);
    double bps = PoissonMetrics.bitsPerSpike(m.predict(test.rates), test.forward);
    double oracle = PoissonMetrics.bitsPerSpike(test.truth, test.forward);
    assertTrue(oracle > 0.08, "oracle " + oracle);
    assertTrue(bps > oracle - 0.03 && bps <= oracle + 0.03, "fp-bps " + bps + " vs oracle " + oracle);

    Data shuffledTrain = data(rng, 300, true);
    Data shuffledValid = data(rng, 100, true);
    ForwardPrediction.Model blind = ForwardPrediction.fit(ForwardPrediction.Config.defaults(), shuffledTrain.rates,
        shuffledTrain.forward, shuffledValid.rates, shuffledValid.forward);
    Data shuffledTest = data(rng, 200, true);
    assertTrue(PoissonMetrics.bitsPerSpike(blind.predict(shuffledTest.rates), shuffledTest.forward) < 0.03);
    assertThrows(IllegalArgumentException.class, () -> m.predict(new Rates(1, 4, 2, 10, new double[8])));
  }

  private record Data(Rates rates, SpikeCounts forward, Rates truth) {}

  private static Data data(SplittableRandom rng, int n, boolean shuffled) {
    int observed = 4;
    int neurons = 3;
    int ahead = 2;
    double[] rates = new double[n * observed * neurons];
    double[] counts = new double[n * ahead * neurons];
    double[] truth = new double[counts.length];
    for (int i = 0; i < n; i++) {
      double a = 1 + 4 * rng.nextDouble();
      double seen = shuffled ? 1 + 4 * rng.nextDouble() : a;
      for (int k = 0; k < observed * neurons; k++) {
        rates[i * observed * neurons + k] = seen;
      }
      for (int k = 0; k < ahead * neurons; k++) {
        truth[i * ahead * neurons + k] = 2 * a;
        counts[i * ahead * neurons + k] = LfadsTestData.poisson(rng, 2 * a);
      }
    }
    return new Data(new Rates(n, observed, neurons, 10, rates), new SpikeCounts(n, ahead, neurons, 10, counts),
        new Rates(n, ahead, neurons, 10, truth));
  }
}
