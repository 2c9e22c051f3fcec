package org.neurolake.lfads;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.neurolake.lfads.LfadsEvaluation.Trials;
import org.neurolake.model.neural.NeuronSplit;
import org.neurolake.model.neural.Rates;
import org.neurolake.model.neural.SessionSplit;
import org.neurolake.model.neural.SpikeCounts;
import org.neurolake.model.neural.TrialSplit;

/**
 * A small session for the evaluation's tests: Poisson counts driven by two smooth latents through a
 * log-linear map, {@code rate = exp(C z(t) + d)} spikes per bin, with the true rates kept; split by
 * {@link SessionSplit} as the LFADS jobs split a session.
 *
 * @param numbers the trial numbers, one per trial of {@code counts}
 */
record SimulatedSession(int[] numbers, SpikeCounts counts, Rates truth, TrialSplit trials, NeuronSplit neurons) {
  static final double BIN_MS = 10;

  SimulatedSession {
    numbers = numbers.clone();
  }

  @Override
  public int[] numbers() {
    return numbers.clone();
  }

  /** {@code nTrials} trials numbered from 1000, 30 bins, {@code nNeurons} neurons, split by {@code split}. */
  static SimulatedSession generate(int nTrials, int nNeurons, SessionSplit split, long seed) {
    int bins = 30;
    int latents = 2;
    SplittableRandom rng = new SplittableRandom(seed);
    double[] loadings = new double[nNeurons * latents];
    for (int i = 0; i < loadings.length; i++) {
      loadings[i] = 0.7 * rng.nextGaussian();
    }
    double[] base = new double[nNeurons];
    for (int n = 0; n < nNeurons; n++) {
      base[n] = Math.log(0.1 + 0.3 * rng.nextDouble());
    }
    double[] rates = new double[nTrials * bins * nNeurons];
    double[] counts = new double[rates.length];
    for (int tr = 0; tr < nTrials; tr++) {
      double[] freq = {2 * Math.PI / (15 + 30 * rng.nextDouble()), 2 * Math.PI / (15 + 30 * rng.nextDouble())};
      double[] phase = {2 * Math.PI * rng.nextDouble(), 2 * Math.PI * rng.nextDouble()};
      for (int t = 0; t < bins; t++) {
        for (int n = 0; n < nNeurons; n++) {
          double eta = base[n];
          for (int a = 0; a < latents; a++) {
            eta += loadings[n * latents + a] * Math.sin(freq[a] * t + phase[a]);
          }
          int i = (tr * bins + t) * nNeurons + n;
          rates[i] = Math.exp(eta);
          counts[i] = poisson(rng, rates[i]);
        }
      }
    }
    int[] numbers = IntStream.range(1000, 1000 + nTrials).toArray();
    return new SimulatedSession(numbers, new SpikeCounts(nTrials, bins, nNeurons, BIN_MS, counts),
        new Rates(nTrials, bins, nNeurons, BIN_MS, rates), split.trials(numbers), split.neurons(nNeurons));
  }

  /** One split's trials (indices into this session) as the evaluation takes them, with or without truth. */
  Trials trials(int[] idx, boolean withTruth) {
    int[] picked = IntStream.of(idx).map(i -> numbers[i]).toArray();
    return new Trials(picked, counts.select(idx), withTruth ? truth.select(idx) : null);
  }

  /** The input of the evaluation, with {@code lfadsTest} as LFADS's test rates. */
  LfadsEvaluation.Input input(boolean withTruth, NeuronSplit split, Rates lfadsTest) {
    return new LfadsEvaluation.Input("sim", split, trials(trials.train(), withTruth),
        trials(trials.valid(), withTruth), trials(trials.test(), withTruth), null, lfadsTest);
  }

  Rates testTruth() {
    return truth.select(trials.test());
  }

  SpikeCounts testCounts() {
    return counts.select(trials.test());
  }

  /** Knuth's method; fine for the small means used here. */
  private static int poisson(SplittableRandom rng, double mean) {
    double limit = Math.exp(-mean);
    double p = rng.nextDouble();
    int k = 0;
    while (p > limit) {
      p *= rng.nextDouble();
      k++;
    }
    return k;
  }
}
