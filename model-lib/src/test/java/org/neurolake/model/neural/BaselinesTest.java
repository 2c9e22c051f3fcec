package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both baselines on latent-driven Poisson data (3 latents, 30 neurons), against the per-neuron mean. */
class BaselinesTest {
  static Simulated sim;
  static TrialSplit trials;
  static SpikeCounts train;
  static SpikeCounts valid;
  static SpikeCounts test;
  static Rates validTruth;
  static Rates testTruth;
  static NeuronSplit neurons;

  @BeforeAll
  static void simulate() {
    sim = Simulated.latentDriven(200, 50, 30, 3, 42);
    SessionSplit split = new SessionSplit(0.1, 0.2, 0.25, 1);
    trials = split.trials(200);
    train = sim.counts.select(trials.train());
    valid = sim.counts.select(trials.valid());
    test = sim.counts.select(trials.test());
    validTruth = sim.rates.select(trials.valid());
    testTruth = sim.rates.select(trials.test());
    neurons = split.neurons(30);
  }

  /** The per-neuron mean count of the training trials, on every bin of {@code like}. */
  static Rates trainMean(SpikeCounts like) {
    double[] totals = train.neuronTotals();
    double[] r = new double[like.trials() * like.bins() * like.neurons()];
    for (int i = 0; i < r.length; i++) {
      r[i] = totals[i % like.neurons()] / (train.trials() * train.bins());
    }
    return new Rates(like.trials(), like.bins(), like.neurons(), like.binMs(), r);
  }

  @Test
  void smoothingObservedNeuronsBeatsTheMeanAndBothCriteriaPickSimilarWidths() {
    GaussianSmoothingBaseline.Config cfg = GaussianSmoothingBaseline.Config.defaults()
        .withSigmaGrid(0.5, 1, 2, 3, 4, 6, 8, 12);
    GaussianSmoothingBaseline.ObservedChoice byTruth = GaussianSmoothingBaseline.chooseObserved(cfg, valid,
        validTruth);
    GaussianSmoothingBaseline.ObservedChoice byLobo = GaussianSmoothingBaseline.chooseObserved(cfg, valid);
    assertEquals(SelectionCriterion.TRUE_RATE_R2, byTruth.criterion());
    assertEquals(SelectionCriterion.LEAVE_ONE_BIN_OUT_BPS, byLobo.criterion());
    assertEquals(8, byTruth.grid().size());
    double r2 = RateR2.meanOverNeurons(byTruth.predict(test), testTruth);
    double meanR2 = RateR2.meanOverNeurons(trainMean(test), testTruth);
    System.out.printf("smoothing observed: sigma by truth %.1f, by LOBO %.1f; test R^2 %.3f (mean %.3f)%n",
        byTruth.sigmaBins(), byLobo.sigmaBins(), r2, meanR2);
    assertTrue(r2 > meanR2 + 0.05, r2 + " vs " + meanR2);
    // Neither an edge of the grid nor far apart: widths within a factor of 2.
    assertTrue(byTruth.sigmaBins() > 0.5 && byTruth.sigmaBins() < 12, "sigma " + byTruth.sigmaBins());
    double ratio = byLobo.sigmaBins() / byTruth.sigmaBins();
    assertTrue(ratio >= 0.5 && ratio <= 2, byLobo.sigmaBins() + " vs " + byTruth.sigmaBins());
  }

  @Test
  void smoothingHeldOutNeuronsHasPositiveCoBps() {
    GaussianSmoothingBaseline.Config cfg = GaussianSmoothingBaseline.Config.defaults().withSigmaGrid(1, 2, 4, 8)
        .withL2Grid(0.001, 0.1).withThreads(2);
    GaussianSmoothingBaseline.HeldOutModel m = GaussianSmoothingBaseline.fitHeldOut(cfg, train, valid, neurons);
    assertEquals(8, m.grid().size());
    Rates rates = m.predict(test.neurons(neurons.heldIn()));
    assertEquals(30, rates.neurons());
    double coBps = PoissonMetrics.bitsPerSpike(rates.neurons(neurons.heldOut()), test.neurons(neurons.heldOut()));
    double trueBps = PoissonMetrics.bitsPerSpike(testTruth.neurons(neurons.heldOut()),
        test.neurons(neurons.heldOut()));
    double meanBps = PoissonMetrics.bitsPerSpike(trainMean(test).neurons(neurons.heldOut()),
        test.neurons(neurons.heldOut()));
    System.out.printf("smoothing held-out: sigma %.1f l2 %.3g valid %.3f; test co-bps %.3f (truth %.3f, train"
        + " mean %.3f)%n", m.sigmaBins(), m.l2(), m.validationScore(), coBps, trueBps, meanBps);
    assertTrue(coBps > 0.05 && coBps > meanBps, "co-bps " + coBps);
    assertTrue(coBps < trueBps, "co-bps " + coBps + " above the true rates' " + trueBps);
    // Held-in rates are the smoothed counts at the chosen width.
    assertEquals(new GaussianKernel(m.sigmaBins()).smooth(test.neurons(neurons.heldIn())).rate(0, 7, 3),
        rates.rate(0, 7, neurons.heldIn()[3]), 1e-12);
  }

  @Test
  void latentBaselineChosenByTruthRecoversAboutThreeLatentsAndBeatsSmoothing() {
    LinearLatentBaseline.Config cfg = LinearLatentBaseline.Config.defaults().withSigmaGrid(1, 2, 4)
        .withLatentGrid(1, 2, 3, 4, 6, 10).withThreads(2);
    NeuronSplit all = NeuronSplit.allHeldIn(30);
    LinearLatentBaseline.Model m = LinearLatentBaseline.fit(cfg, train, valid, all, validTruth);
    assertEquals(SelectionCriterion.TRUE_RATE_R2, m.criterion());
    Rates rates = m.predict(test);
    double r2 = RateR2.meanOverNeurons(rates, testTruth);
    GaussianSmoothingBaseline.ObservedChoice smooth = GaussianSmoothingBaseline.chooseObserved(
        GaussianSmoothingBaseline.Config.defaults(), valid, validTruth);
    double smoothR2 = RateR2.meanOverNeurons(smooth.predict(test), testTruth);
    System.out.printf("latent (truth): sigma %.1f k %d valid %.3f; test R^2 %.3f (smoothing %.3f)%n", m.sigmaBins(),
        m.latents(), m.validationScore(), r2, smoothR2);
    assertTrue(m.latents() >= 2 && m.latents() <= 6, "k = " + m.latents());
    assertTrue(r2 > smoothR2, r2 + " vs smoothing " + smoothR2);
  }

  @Test
  void latentBaselineChosenByHeldOutCoBpsPredictsHeldOutNeurons() {
    LinearLatentBaseline.Config cfg = LinearLatentBaseline.Config.defaults().withSigmaGrid(1, 2, 4)
        .withLatentGrid(1, 2, 3, 4, 6, 10);
    LinearLatentBaseline.Model m = LinearLatentBaseline.fit(cfg, train, valid, neurons, null);
    assertEquals(SelectionCriterion.HELD_OUT_CO_BPS, m.criterion());
    assertEquals(18, m.grid().size());
    Rates rates = m.predict(test.neurons(neurons.heldIn()));
    double coBps = PoissonMetrics.bitsPerSpike(rates.neurons(neurons.heldOut()), test.neurons(neurons.heldOut()));
    double r2 = RateR2.meanOverNeurons(rates, testTruth);
    System.out.printf("latent (co-bps): sigma %.1f k %d valid %.3f; test co-bps %.3f, R^2 all neurons %.3f%n",
        m.sigmaBins(), m.latents(), m.validationScore(), coBps, r2);
    assertTrue(coBps > 0.05, "co-bps " + coBps);
    assertTrue(m.latents() >= 2 && m.latents() <= 6, "k = " + m.latents());
    assertTrue(r2 > 0.3, "R^2 " + r2);
  }

  @Test
  void baselinesRefuseInputsTheyCannotScore() {
    NeuronSplit all = NeuronSplit.allHeldIn(30);
    assertThrows(IllegalArgumentException.class,
        () -> GaussianSmoothingBaseline.fitHeldOut(GaussianSmoothingBaseline.Config.defaults(), train, valid, all));
    assertThrows(IllegalArgumentException.class,
        () -> LinearLatentBaseline.fit(LinearLatentBaseline.Config.defaults(), train, valid, all, null));
    assertThrows(IllegalArgumentException.class, () -> GaussianSmoothingBaseline.chooseObserved(
        GaussianSmoothingBaseline.Config.defaults().withSigmaGrid(0, 1), valid));
    assertThrows(IllegalArgumentException.class,
        () -> LinearLatentBaseline.fit(LinearLatentBaseline.Config.defaults(), train.neurons(new int[] {0, 1}),
            valid, neurons, null));
  }
}
