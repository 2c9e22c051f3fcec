package org.neurolake.train;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * Injected slowness for tests and benchmarks: how long a task waits, on top of its real work,
 * decided independently per (seed, round, task) by a proper seed mixer (adjacent
 * {@code java.util.Random} seeds make neighbouring tasks stragglers together).
 */
public sealed interface StragglerPolicy extends Serializable {
  /** Extra milliseconds for a task whose own work took {@code workMs}. */
  long delayMs(long seed, int round, int task, long workMs);

  /** No injected delay. */
  record None() implements StragglerPolicy {
    @Override
    public long delayMs(long seed, int round, int task, long workMs) {
      return 0;
    }

    @Override
    public String toString() {
      return "none";
    }
  }

  /** With probability {@code fraction}, the task runs {@code factor} times as long as its work. */
  record Slowdown(double fraction, double factor) implements StragglerPolicy {
    public Slowdown {
      if (!(fraction >= 0 && fraction <= 1) || !(factor >= 1)) {
        throw new IllegalArgumentException("slowdown needs fraction in [0,1] and factor >= 1: " + fraction + ", " + factor);
      }
    }

    @Override
    public long delayMs(long seed, int round, int task, long workMs) {
      return random(seed, round, task).nextDouble() < fraction ? Math.round((factor - 1) * workMs) : 0;
    }

    @Override
    public String toString() {
      return "slow:" + fraction + ":" + factor;
    }
  }

  /** A heavy-tailed extra delay: lognormal with the given median (ms) and log-space sigma. */
  record LogNormal(double medianMs, double sigma) implements StragglerPolicy {
    public LogNormal {
      if (!(medianMs >= 0) || !(sigma >= 0)) {
        throw new IllegalArgumentException("lognormal needs median >= 0 and sigma >= 0");
      }
    }

    @Override
    public long delayMs(long seed, int round, int task, long workMs) {
      return Math.round(medianMs * Math.exp(sigma * random(seed, round, task).nextGaussian()));
    }

    @Override
    public String toString() {
      return "lognormal:" + medianMs + ":" + sigma;
    }
  }

  private static SplittableRandom random(long seed, int round, int task) {
    long key = seed * 0x9E3779B97F4A7C15L + round * 0xBF58476D1CE4E5B9L + task * 0x94D049BB133111EBL;
    return new SplittableRandom(key).split();
  }

  /** Parses {@code none}, {@code slow:FRACTION:FACTOR} or {@code lognormal:MEDIAN_MS:SIGMA}. */
  static StragglerPolicy parse(String s) {
    String[] p = s.trim().split(":");
    try {
      return switch (p[0]) {
        case "none" -> new None();
        case "slow" -> new Slowdown(Double.parseDouble(p[1]), Double.parseDouble(p[2]));
        case "lognormal" -> new LogNormal(Double.parseDouble(p[1]), Double.parseDouble(p[2]));
        default -> throw new IllegalArgumentException("unknown straggler policy " + p[0]);
      };
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new IllegalArgumentException("straggler policy must be none, slow:FRACTION:FACTOR or "
          + "lognormal:MEDIAN_MS:SIGMA, not '" + s + "'", e);
    }
  }
}
