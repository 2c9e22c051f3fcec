package org.neurolake.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * How long a worker's step takes in a simulated run, in virtual seconds: a function of the seed,
 * the draw (a round, or a worker's update count) and the worker, so every setting of a simulation
 * sees the same times for the same (draw, worker). Parametric heavy tails, or the task durations of
 * a real run replayed.
 */
public sealed interface StepTimes {
  double seconds(long seed, long draw, int worker);

  /** Log-normal with the given median and sigma of the log (sigma 0.5-1.0: a heavy right tail). */
  record LogNormal(double medianS, double sigma) implements StepTimes {
    public LogNormal {
      if (!(medianS > 0 && sigma >= 0)) {
        throw new IllegalArgumentException("lognormal needs median > 0 and sigma >= 0: " + medianS + ", " + sigma);
      }
    }

    @Override
    public double seconds(long seed, long draw, int worker) {
      return medianS * Math.exp(sigma * random(seed, draw, worker).nextGaussian());
    }
  }

  /**
   * A base time plus, with probability {@code slowP}, a Pareto(alpha) delay of scale
   * {@code slowScaleS}: most steps take about the base time, a few are much slower (a machine
   * busy with other work), the shape measured on shared clusters.
   */
  record ParetoTail(double baseS, double jitter, double slowP, double slowScaleS, double alpha) implements StepTimes {
    public ParetoTail {
      if (!(baseS > 0 && jitter >= 0 && slowP >= 0 && slowP <= 1 && slowScaleS >= 0 && alpha > 0)) {
        throw new IllegalArgumentException("pareto-tail needs base > 0, jitter >= 0, p in [0, 1], scale >= 0,"
            + " alpha > 0");
      }
    }

    @Override
    public double seconds(long seed, long draw, int worker) {
      SplittableRandom r = random(seed, draw, worker);
      double t = baseS * (1 + jitter * r.nextDouble());
      if (r.nextDouble() < slowP) {
        t += slowScaleS * Math.pow(1 - r.nextDouble(), -1 / alpha);
      }
      return t;
    }
  }

  /** Durations of a real run's tasks (e.g. from {@code train_rounds}), drawn uniformly with replacement. */
  record Replay(double[] observedS) implements StepTimes {
    public Replay {
      if (observedS.length == 0 || Arrays.stream(observedS).anyMatch(v -> !(v > 0))) {
        throw new IllegalArgumentException("replay needs at least one positive duration");
      }
      observedS = observedS.clone();
    }

    @Override
    public double seconds(long seed, long draw, int worker) {
      return observedS[random(seed, draw, worker).nextInt(observedS.length)];
    }
  }

  /**
   * {@code lognormal:<median_s>:<sigma>} or {@code pareto-tail:<base_s>:<jitter>:<p>:<scale_s>:<alpha>};
   * fails naming the text.
   */
  static StepTimes parse(String text) {
    String[] p = text.trim().split(":");
    try {
      if (p[0].equals("lognormal") && p.length == 3) {
        return new LogNormal(Double.parseDouble(p[1]), Double.parseDouble(p[2]));
      }
      if (p[0].equals("pareto-tail") && p.length == 6) {
        return new ParetoTail(Double.parseDouble(p[1]), Double.parseDouble(p[2]), Double.parseDouble(p[3]),
            Double.parseDouble(p[4]), Double.parseDouble(p[5]));
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("step times '" + text + "': not a number", e);
    }
    throw new IllegalArgumentException("step times '" + text + "': expected lognormal:<median_s>:<sigma> or"
        + " pareto-tail:<base_s>:<jitter>:<p>:<scale_s>:<alpha>");
  }

  private static SplittableRandom random(long seed, long draw, int worker) {
    long h = seed * 0x9E3779B97F4A7C15L + draw * 0xBF58476D1CE4E5B9L + worker * 0x94D049BB133111EBL;
    return new SplittableRandom(h);
  }
}
