package org.neurolake.lfads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.neurolake.eval.Metric;
import org.neurolake.model.neural.ForwardPrediction;
import org.neurolake.model.neural.NlbMetrics;
import org.neurolake.model.neural.SessionSplit;

/** fp-bps of LFADS (its rates stood in for by the true ones) and both baselines on a simulated session. */
class NlbEvaluationTest {
  private static final int FORWARD = 5;

  @Test
  void forwardBitsPerSpikeOfEveryModelOnTheLastBins() {
    SimulatedSession sim = SimulatedSession.generate(400, 16, new SessionSplit(0.15, 0.25, 0.25, 1), 11);
    LfadsEvaluation.Input whole = sim.input(false, sim.neurons(), sim.testTruth());
    LfadsEvaluation.Result seen = LfadsEvaluation.defaults().evaluate(whole.firstBins(30 - FORWARD));
    assertEquals(30 - FORWARD, seen.testRates().smoothing().bins(), "baselines fit on the observed bins");
    List<Metric> fp = NlbEvaluation.forwardBitsPerSpike(whole, FORWARD, seen.baselines(),
        ForwardPrediction.Config.defaults());
    System.out.println("NlbEvaluationTest: " + fp);
    double truth = value(fp, LfadsModels.MODEL, NlbEvaluation.FP_BPS);
    assertEquals(NlbMetrics.forwardBitsPerSpike(sim.testTruth(), sim.testCounts(), FORWARD), truth, 0);
    for (String baseline : List.of(LfadsEvaluation.SMOOTHING, LfadsEvaluation.LINEAR_LATENT)) {
      double bps = value(fp, baseline, NlbEvaluation.FP_BPS);
      // The latents are slow sinusoids: the last observed bins say something about the next ones,
      // the true rates more.
      assertTrue(bps > 0 && bps < truth, baseline + " fp-bps " + bps + " vs the true rates' " + truth);
      assertEquals(Set.of(NlbEvaluation.FP_BPS, "fp_lag_bins", "fp_l2", "fp_pooled_mean", "fp_valid_bps"), fp.stream()
          .filter(m -> m.model().equals(baseline)).map(Metric::metric).collect(Collectors.toSet()));
    }
    assertTrue(fp.stream().allMatch(m -> m.split().equals(LfadsEvaluation.TEST_SPLIT)));
    assertThrows(IllegalArgumentException.class,
        () -> NlbEvaluation.forwardBitsPerSpike(whole, 30, seen.baselines(), ForwardPrediction.Config.defaults()));
  }

  private static double value(List<Metric> metrics, String model, String metric) {
    return metrics.stream().filter(m -> m.model().equals(model) && m.metric().equals(metric)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + metric + " for " + model + " in " + metrics)).value();
  }
}
