package org.neurolake.lfads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurolake.eval.Metric;
import org.neurolake.model.neural.NeuronSplit;
import org.neurolake.model.neural.PoissonMetrics;
import org.neurolake.model.neural.Rates;
import org.neurolake.model.neural.SessionSplit;

/** The LFADS evaluation on a small simulated session, LFADS's rates stood in for by known ones. */
class LfadsEvaluationTest {
  static SimulatedSession sim;
  static LfadsEvaluation.Result perfect;

  @BeforeAll
  static void simulate() {
    sim = SimulatedSession.generate(120, 16, new SessionSplit(0.15, 0.25, 0.25, 1), 11);
    perfect = LfadsEvaluation.defaults().evaluate(sim.input(true, sim.neurons(), sim.testTruth()));
  }

  /** Rates of the test trials: {@code heldIn} on the held-in neurons, {@code heldOut} on the held-out ones. */
  static Rates mix(Rates heldIn, Rates heldOut) {
    double[] v = new double[heldIn.trials() * heldIn.bins() * heldIn.neurons()];
    boolean[] out = new boolean[heldIn.neurons()];
    for (int n : sim.neurons().heldOut()) {
      out[n] = true;
    }
    for (int tr = 0; tr < heldIn.trials(); tr++) {
      for (int t = 0; t < heldIn.bins(); t++) {
        for (int n = 0; n < heldIn.neurons(); n++) {
          v[(tr * heldIn.bins() + t) * heldIn.neurons() + n] = (out[n] ? heldOut : heldIn).rate(tr, t, n);
        }
      }
    }
    return new Rates(heldIn.trials(), heldIn.bins(), heldIn.neurons(), heldIn.binMs(), v);
  }

  @Test
  void perfectRatesScoreRSquaredOneAndTheBestCoBps() {
    assertEquals(1.0, perfect.get(LfadsModels.MODEL, "r2_rates"), 1e-12);
    assertEquals(1.0, perfect.get(LfadsModels.MODEL, "r2_rates_pooled"), 1e-12);
    double coBps = perfect.get(LfadsModels.MODEL, "co_bps");
    for (String baseline : new String[] {LfadsEvaluation.SMOOTHING, LfadsEvaluation.LINEAR_LATENT}) {
      assertTrue(perfect.get(baseline, "r2_rates") < 1, baseline);
      assertTrue(perfect.get(baseline, "co_bps") < coBps, baseline + " " + perfect.get(baseline, "co_bps")
          + " vs the true rates' " + coBps);
    }
    // The linear latent model fits this log-linear latent data; it beats the mean and the smoothing.
    double linear = perfect.get(LfadsEvaluation.LINEAR_LATENT, "co_bps");
    assertTrue(linear > 0.05 && linear > perfect.get(LfadsEvaluation.SMOOTHING, "co_bps"), perfect.metrics().toString());
    System.out.println("LfadsEvaluationTest: " + perfect.metrics());
  }

  @Test
  void reportsEachModelsMetricsUnderItsName() {
    Set<String> names = perfect.metrics().stream().map(m -> m.model() + "/" + m.metric()).collect(Collectors.toSet());
    assertEquals(Set.of("lfads/r2_rates", "lfads/r2_rates_pooled", "lfads/co_bps", "smoothing/r2_rates",
        "smoothing/r2_rates_pooled", "smoothing/sigma_bins", "smoothing/sigma_at_grid_edge", "smoothing/co_bps",
        "linear_latent/r2_rates", "linear_latent/r2_rates_pooled", "linear_latent/sigma_bins",
        "linear_latent/latents", "linear_latent/sigma_at_grid_edge", "linear_latent/latents_at_grid_edge",
        "linear_latent/co_bps"), names);
    assertEquals(names.size(), perfect.metrics().size(), "each once");
    assertTrue(perfect.metrics().stream().allMatch(m -> m.dataset().equals("sim") && m.split().equals("test")));
    // The chosen hyperparameters come from the default grids, and each is flagged when at a grid's end.
    double sigma = perfect.get(LfadsEvaluation.SMOOTHING, "sigma_bins");
    assertTrue(Set.of(0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0, 32.0).contains(sigma), "sigma " + sigma);
    assertEquals(sigma == 0.5 || sigma == 32 ? 1 : 0, perfect.get(LfadsEvaluation.SMOOTHING, "sigma_at_grid_edge"));
    double k = perfect.get(LfadsEvaluation.LINEAR_LATENT, "latents");
    assertTrue(Set.of(1.0, 2.0, 4.0, 6.0, 8.0).contains(k), "k below the 12 held-in neurons: " + k);
    assertEquals(k == 1 ? 1 : 0, perfect.get(LfadsEvaluation.LINEAR_LATENT, "latents_at_grid_edge"));
    double sigmaLinear = perfect.get(LfadsEvaluation.LINEAR_LATENT, "sigma_bins");
    assertEquals(sigmaLinear == 0.5 || sigmaLinear == 8 ? 1 : 0,
        perfect.get(LfadsEvaluation.LINEAR_LATENT, "sigma_at_grid_edge"));
    assertEquals(perfect.metrics().stream().map(Metric::model).distinct().toList(),
        List.of("lfads", "smoothing", "linear_latent"), "grouped by model, LFADS first");
  }

  @Test
  void coBpsScoresTheHeldOutNeuronsOnly() {
    Rates truth = sim.testTruth();
    Rates nul = PoissonMetrics.nullRates(sim.testCounts());
    NeuronSplit split = sim.neurons();
    // True held-out rates score the true rates' co-bps whatever the held-in rates are ...
    LfadsEvaluation.Result trueOut = LfadsEvaluation.defaults().evaluate(sim.input(false, split, mix(nul, truth)));
    assertEquals(PoissonMetrics.bitsPerSpike(truth.neurons(split.heldOut()), sim.testCounts().neurons(
        split.heldOut())), trueOut.get(LfadsModels.MODEL, "co_bps"), 1e-12);
    assertEquals(perfect.get(LfadsModels.MODEL, "co_bps"), trueOut.get(LfadsModels.MODEL, "co_bps"), 1e-12);
    // ... and each held-out neuron's test mean scores 0, however good the held-in rates.
    LfadsEvaluation.Result meanOut = LfadsEvaluation.defaults().evaluate(sim.input(false, split, mix(truth, nul)));
    assertEquals(0, meanOut.get(LfadsModels.MODEL, "co_bps"), 1e-12);
    // The baselines see the same held-in counts in both: LFADS's rates do not change them.
    assertEquals(trueOut.get(LfadsEvaluation.LINEAR_LATENT, "co_bps"),
        meanOut.get(LfadsEvaluation.LINEAR_LATENT, "co_bps"), 0);
  }

  @Test
  void aRecordingWithoutTruthGetsCoBpsOnly() {
    LfadsEvaluation.Result r = LfadsEvaluation.defaults().evaluate(sim.input(false, sim.neurons(), sim.testTruth()));
    assertEquals(Set.of("lfads/co_bps", "smoothing/co_bps", "linear_latent/co_bps"),
        r.metrics().stream().map(m -> m.model() + "/" + m.metric()).collect(Collectors.toSet()));
    assertEquals(perfect.get(LfadsEvaluation.SMOOTHING, "co_bps"), r.get(LfadsEvaluation.SMOOTHING, "co_bps"), 0,
        "the held-out fits do not depend on the truth");
    assertNull(r.testRates().truth());
    assertThrows(IllegalArgumentException.class, () -> r.get(LfadsModels.MODEL, "r2_rates"));
  }

  @Test
  void withoutHeldOutNeuronsThereIsNoCoBps() {
    NeuronSplit all = NeuronSplit.allHeldIn(16);
    LfadsEvaluation.Result r = LfadsEvaluation.defaults().evaluate(sim.input(true, all, sim.testTruth()));
    assertTrue(r.metrics().stream().noneMatch(m -> m.metric().equals("co_bps")), r.metrics().toString());
    assertEquals(1.0, r.get(LfadsModels.MODEL, "r2_rates"), 1e-12);
    assertEquals(perfect.get(LfadsEvaluation.SMOOTHING, "r2_rates"), r.get(LfadsEvaluation.SMOOTHING, "r2_rates"), 0,
        "observed-neuron smoothing does not depend on the neuron split");
  }

  @Test
  void plotsTheTestTrialsWithTheirNumbers() {
    LfadsEvaluation.TestRates p = perfect.testRates();
    assertArrayEquals(IntStream.of(sim.trials().test()).map(i -> 1000 + i).toArray(), p.trials());
    assertEquals(sim.testTruth(), p.truth());
    assertEquals(sim.testTruth(), p.lfads());
    assertTrue(p.smoothing().sameShape(p.truth()) && p.linearLatent().sameShape(p.truth()));
  }

  @Test
  void refusesWhatItCannotScore() {
    IllegalArgumentException nothing = assertThrows(IllegalArgumentException.class, () -> LfadsEvaluation.defaults()
        .evaluate(sim.input(false, NeuronSplit.allHeldIn(16), sim.testTruth())));
    assertTrue(nothing.getMessage().contains("nothing to score"), nothing.getMessage());
    LfadsEvaluation.Trials train = sim.trials(sim.trials().train(), false);
    LfadsEvaluation.Trials validNoTruth = sim.trials(sim.trials().valid(), false);
    LfadsEvaluation.Trials test = sim.trials(sim.trials().test(), true);
    assertThrows(IllegalArgumentException.class, () -> new LfadsEvaluation.Input("sim", sim.neurons(), train,
        validNoTruth, test, null, sim.testTruth()), "truth on the test trials only");
    assertThrows(IllegalArgumentException.class, () -> new LfadsEvaluation.Input("sim", sim.neurons(), train,
        validNoTruth, sim.trials(sim.trials().test(), false), null, sim.truth()), "LFADS rates of other trials");
  }

  @Test
  void lfadsIsAlsoScoredOnTheValidationTrialsThatConfigurationsAreChosenBy() {
    LfadsEvaluation.Trials valid = sim.trials(sim.trials().valid(), true);
    LfadsEvaluation.Trials test = sim.trials(sim.trials().test(), true);
    LfadsEvaluation.Input in = new LfadsEvaluation.Input("sim", sim.neurons(), sim.trials(sim.trials().train(), true),
        valid, test, valid.truth(), PoissonMetrics.nullRates(sim.testCounts()));
    LfadsEvaluation.Result r = LfadsEvaluation.defaults().evaluate(in);
    assertEquals(1.0, r.get(LfadsModels.MODEL, LfadsEvaluation.VALID_SPLIT, "r2_rates"), 1e-12, "the true rates");
    assertTrue(r.get(LfadsModels.MODEL, "r2_rates") < 0.5, "the test figure is the test trials' own");
    assertThrows(IllegalArgumentException.class, () -> new LfadsEvaluation.Input("sim", sim.neurons(),
        sim.trials(sim.trials().train(), true), valid, test, test.truth(), sim.testTruth()), "valid rates of the test trials");
  }
}
