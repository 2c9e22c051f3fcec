package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Timings at the largest size the baselines are meant for (2000 trials x 100 bins x 200 neurons,
 * a seeded 70/10/20 split, 25% held out). Off by default; run with
 * {@code mvn -B -o -q -pl model-lib test -Dtest=BaselinesBenchmarkTest -Dneural.bench=true}.
 */
@EnabledIfSystemProperty(named = "neural.bench", matches = "true")
class BaselinesBenchmarkTest {
  static final int THREADS = Integer.getInteger("neural.bench.threads", 2);

  @Test
  void fullSizeTimings() {
    long t0 = System.nanoTime();
    Simulated sim = Simulated.latentDriven(2000, 100, 200, 8, 7);
    SessionSplit split = new SessionSplit(0.1, 0.2, 0.25, 1);
    TrialSplit trials = split.trials(2000);
    NeuronSplit neurons = split.neurons(200);
    SpikeCounts train = sim.counts.select(trials.train());
    SpikeCounts valid = sim.counts.select(trials.valid());
    SpikeCounts test = sim.counts.select(trials.test());
    Rates validTruth = sim.rates.select(trials.valid());
    Rates testTruth = sim.rates.select(trials.test());
    System.out.printf("BENCH simulate+split %.1f s%n", secs(t0));

    long t = System.nanoTime();
    double c = cpu();
    GaussianSmoothingBaseline.Config sCfg = GaussianSmoothingBaseline.Config.defaults().withThreads(THREADS);
    GaussianSmoothingBaseline.ObservedChoice obs = GaussianSmoothingBaseline.chooseObserved(sCfg, valid, validTruth);
    double obsR2 = RateR2.meanOverNeurons(obs.predict(test), testTruth);
    System.out.printf("BENCH smoothing observed (%d widths): %.1f s (cpu %.1f s), sigma %.1f, test R^2 %.3f%n",
        sCfg.sigmaGridBins().length, secs(t), cpu() - c, obs.sigmaBins(), obsR2);

    t = System.nanoTime();
    c = cpu();
    GaussianSmoothingBaseline.HeldOutModel held = GaussianSmoothingBaseline.fitHeldOut(sCfg, train, valid, neurons);
    double fitS = secs(t);
    double fitC = cpu() - c;
    t = System.nanoTime();
    Rates heldRates = held.predict(test.neurons(neurons.heldIn()));
    double heldBps = PoissonMetrics.bitsPerSpike(heldRates.neurons(neurons.heldOut()),
        test.neurons(neurons.heldOut()));
    System.out.printf("BENCH smoothing held-out (%d grid points, %d GLMs of %d features each): fit %.1f s (cpu %.1f"
        + " s), predict %.2f s, sigma %.1f l2 %.3g, test co-bps %.3f%n", held.grid().size(), neurons.heldOut().length,
        neurons.heldIn().length, fitS, fitC, secs(t), held.sigmaBins(), held.l2(), heldBps);

    LinearLatentBaseline.Config lCfg = LinearLatentBaseline.Config.defaults().withThreads(THREADS);
    t = System.nanoTime();
    c = cpu();
    LinearLatentBaseline.Model byBps = LinearLatentBaseline.fit(lCfg, train, valid, neurons, null);
    fitS = secs(t);
    fitC = cpu() - c;
    t = System.nanoTime();
    Rates latRates = byBps.predict(test.neurons(neurons.heldIn()));
    double latBps = PoissonMetrics.bitsPerSpike(latRates.neurons(neurons.heldOut()),
        test.neurons(neurons.heldOut()));
    System.out.printf("BENCH latent by co-bps (%d grid points): fit %.1f s (cpu %.1f s), predict %.2f s, sigma %.1f"
        + " k %d (%d EM iterations), test co-bps %.3f%n", byBps.grid().size(), fitS, fitC, secs(t), byBps.sigmaBins(),
        byBps.latents(), byBps.factors().iterations(), latBps);

    t = System.nanoTime();
    c = cpu();
    LinearLatentBaseline.Model byR2 = LinearLatentBaseline.fit(lCfg, train, valid, NeuronSplit.allHeldIn(200),
        validTruth);
    fitS = secs(t);
    fitC = cpu() - c;
    double latR2 = RateR2.meanOverNeurons(byR2.predict(test), testTruth);
    System.out.printf("BENCH latent by truth R^2 (%d grid points, all 200 neurons): fit %.1f s (cpu %.1f s), sigma"
        + " %.1f k %d (%d EM iterations), test R^2 %.3f%n", byR2.grid().size(), fitS, fitC, byR2.sigmaBins(),
        byR2.latents(), byR2.factors().iterations(), latR2);
    System.out.printf("BENCH total %.1f s (cpu %.1f s) on %d threads%n", secs(t0), cpu(), THREADS);
    assertTrue(heldBps > 0 && latBps > 0);
  }

  static double secs(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  /** CPU seconds of the whole JVM (all threads, JIT and GC included): less sensitive than wall time to a loaded machine. */
  static double cpu() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
  }
}
