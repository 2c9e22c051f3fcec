package org.neurolake.pipelines.synthetic;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.neurolake.pipelines.spikes.SpikeTrial;

/**
 * Generates the chaotic-RNN data set, one condition at a time, so conditions can be generated in
 * parallel. Every random draw comes from a stream keyed by (seed, purpose, index): the output is
 * the same however the conditions are partitioned.
 */
public final class ChaoticRnnGenerator {
  private static final long WEIGHTS = 1;
  private static final long INITIAL = 2;
  private static final long PULSE = 3;
  private static final long SPIKES = 4;
  private static final long PROBE = 5;

  /**
   * Below this late-trial latent variance the drawn network has settled to a fixed point. With
   * N = 50 such draws happen (the reference generator notes the finite-size effect and pins its
   * seed); they must not pass for the chaotic benchmark.
   */
  public static final double MIN_CHAOS_SCORE = 0.01;

  private final ChaoticRnnConfig cfg;
  private final double[] w; // N x N, row-major, already scaled by g * dt / tau
  private final double[] bIn; // N, scaled by dt / tau

  /** A generated trial with its ground truth. */
  public record Trial(SpikeTrial spikes, double[] ratesHz, double[] latents, Integer inputBin) {}

  public ChaoticRnnGenerator(ChaoticRnnConfig cfg) {
    this.cfg = cfg;
    int n = cfg.nNeurons();
    SplittableRandom rng = stream(cfg.seed(), WEIGHTS, 0);
    double scale = cfg.dtMs() / cfg.tauMs();
    w = new double[n * n];
    for (int i = 0; i < w.length; i++) {
      w[i] = rng.nextGaussian() / Math.sqrt(n) * cfg.g() * scale;
    }
    bIn = new double[n];
    for (int i = 0; i < n; i++) {
      bIn[i] = rng.nextGaussian() * scale;
    }
  }

  /** All replications of one condition; trial numbers are condition * replications + r. */
  public List<Trial> condition(int c) {
    if (c < 0 || c >= cfg.conditions()) {
      throw new IllegalArgumentException("condition " + c + " outside [0, " + cfg.conditions() + ")");
    }
    int n = cfg.nNeurons();
    double[] x0 = new double[n];
    SplittableRandom init = stream(cfg.seed(), INITIAL, c);
    for (int i = 0; i < n; i++) {
      x0[i] = cfg.x0Std() * init.nextGaussian();
    }
    List<Trial> out = new ArrayList<>(cfg.replications());
    double[][] shared = cfg.hasInputPulse() ? null : run(x0, -1);
    for (int r = 0; r < cfg.replications(); r++) {
      int trial = c * cfg.replications() + r;
      Integer inputBin = null;
      double[][] xr = shared;
      if (cfg.hasInputPulse()) {
        int steps = cfg.nSteps();
        inputBin = steps / 4 + stream(cfg.seed(), PULSE, trial).nextInt(Math.max(1, steps / 2));
        xr = run(x0, inputBin);
      }
      out.add(trial(trial, c, xr[0], xr[1], inputBin));
    }
    return out;
  }

  /**
   * How chaotic the drawn network is: the median, over 8 probe initial conditions, of the latent
   * variance over the last fifth of a trial (without input pulses).
   */
  public double chaosScore() {
    int n = cfg.nNeurons();
    int steps = cfg.nSteps();
    int from = steps - Math.max(2, steps / 5);
    double[] scores = new double[8];
    for (int p = 0; p < scores.length; p++) {
      SplittableRandom rng = stream(cfg.seed(), PROBE, p);
      double[] x0 = new double[n];
      for (int i = 0; i < n; i++) {
        x0[i] = cfg.x0Std() * rng.nextGaussian();
      }
      double[] x = run(x0, -1)[0];
      double var = 0;
      for (int i = 0; i < n; i++) {
        double mean = 0;
        for (int t = from; t < steps; t++) {
          mean += x[i * steps + t] / (steps - from);
        }
        for (int t = from; t < steps; t++) {
          var += Math.pow(x[i * steps + t] - mean, 2) / ((double) (steps - from) * n);
        }
      }
      scores[p] = var;
    }
    java.util.Arrays.sort(scores);
    return (scores[3] + scores[4]) / 2;
  }

  /** Runs the RNN from x0; returns {x (N x T), normalized rates (N x T)}, neuron-major. */
  private double[][] run(double[] x0, int inputStep) {
    int n = cfg.nNeurons();
    int steps = cfg.nSteps();
    double alpha = 1.0 - cfg.dtMs() / cfg.tauMs();
    double[] x = x0.clone();
    double[] r = new double[n];
    for (int i = 0; i < n; i++) {
      r[i] = Math.tanh(x[i]);
    }
    double[] xs = new double[n * steps];
    double[] rs = new double[n * steps];
    double[] next = new double[n];
    for (int t = 0; t < steps; t++) {
      for (int i = 0; i < n; i++) {
        double s = alpha * x[i];
        int row = i * n;
        for (int j = 0; j < n; j++) {
          s += w[row + j] * r[j];
        }
        if (t == inputStep) {
          s += bIn[i] * cfg.inputMagnitude();
        }
        next[i] = s;
      }
      for (int i = 0; i < n; i++) {
        x[i] = next[i];
        r[i] = Math.tanh(x[i]);
        xs[i * steps + t] = x[i];
        rs[i * steps + t] = r[i];
      }
    }
    // Per-neuron min-max normalization over the trial, as the reference generator does.
    for (int i = 0; i < n; i++) {
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int t = 0; t < steps; t++) {
        lo = Math.min(lo, rs[i * steps + t]);
        hi = Math.max(hi, rs[i * steps + t]);
      }
      double range = hi - lo;
      for (int t = 0; t < steps; t++) {
        rs[i * steps + t] = range > 0 ? (rs[i * steps + t] - lo) / range : 0.0;
      }
    }
    return new double[][] {xs, rs};
  }

  private Trial trial(int trial, int condition, double[] latents, double[] normalized, Integer inputBin) {
    SplittableRandom rng = stream(cfg.seed(), SPIKES, trial);
    double dtSec = cfg.dtMs() / 1000.0;
    double[] ratesHz = new double[normalized.length];
    int[] counts = new int[normalized.length];
    for (int k = 0; k < normalized.length; k++) {
      ratesHz[k] = cfg.maxRateHz() * normalized[k];
      counts[k] = Poisson.sample(rng, ratesHz[k] * dtSec);
    }
    SpikeTrial spikes = new SpikeTrial(trial, Integer.toString(condition), cfg.nNeurons(), cfg.nSteps(),
        cfg.dtMs(), counts);
    return new Trial(spikes, ratesHz, latents, inputBin);
  }

  /** An independent stream per (seed, purpose, index), via SplittableRandom's own seed mixing. */
  static SplittableRandom stream(long seed, long purpose, long index) {
    long s = new SplittableRandom(seed ^ (purpose * 0x9E3779B97F4A7C15L)).split().nextLong();
    return new SplittableRandom(s + index * 0xBF58476D1CE4E5B9L).split();
  }
}
