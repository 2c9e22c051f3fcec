package org.neurolake.train;

import java.io.Serializable;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Injected slowness for tests and benchmarks: how long a task waits, on top of its real work,
 * decided independently per (seed, round, task) by a proper seed mixer (adjacent
 * {@code java.util.Random} seeds make neighbouring tasks stragglers together).
 */
public sealed interface StragglerPolicy extends Serializable {
  /** Extra milliseconds for a task whose own work took {@code workMs}. */
  long delayMs(long seed, int round, int task, long workMs);

  /**
   * Whether a delayed task keeps its core busy. A sleeping straggler frees its core, which on a
   * machine with fewer cores than tasks speeds the other tasks up and flatters the slow rounds; a
   * straggler slowed by a contended machine does not.
   */
  default boolean burnsCpu() {
    return false;
  }

  /**
   * Spends {@code ms} milliseconds the way this policy's stragglers do (sleeping, or spinning on
   * the CPU when {@link #burnsCpu()}), checking {@code cancelled} every few milliseconds.
   *
   * @return false if it stopped early because {@code cancelled} turned true
   */
  default boolean spend(long ms, BooleanSupplier cancelled) {
    long until = System.nanoTime() + ms * 1_000_000L;
    double sink = 0;
    while (System.nanoTime() < until) {
      if (cancelled.getAsBoolean()) {
        return false;
      }
      if (burnsCpu()) { // about a tenth of a millisecond of arithmetic between checks
        for (int i = 1; i < 20_000; i++) {
          sink += Math.sqrt(i + sink * 1e-9);
        }
      } else {
        try {
          Thread.sleep(Math.min(5, Math.max(1, (until - System.nanoTime()) / 1_000_000L)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    if (Double.isNaN(sink)) { // never; it keeps the JIT from dropping the spinning arithmetic
      throw new AssertionError("NaN");
    }
    return true;
  }

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

  /**
   * One slow machine: task {@code task} waits {@code delayMs} more in every round, the others none
   * (a shard whose executor is persistently slower, the case backups exist for).
   */
  record SlowTask(int task, long delayMs) implements StragglerPolicy {
    public SlowTask {
      if (task < 0 || delayMs < 0) {
        throw new IllegalArgumentException("slow-task needs task >= 0 and delay >= 0: " + task + ", " + delayMs);
      }
    }

    @Override
    public long delayMs(long seed, int round, int t, long workMs) {
      return t == task ? delayMs : 0;
    }

    @Override
    public String toString() {
      return "slow-task:" + task + ":" + delayMs;
    }
  }

  /** The delays of {@code delays}, spent burning a core instead of sleeping. */
  record Busy(StragglerPolicy delays) implements StragglerPolicy {
    public Busy {
      if (delays instanceof Busy) {
        throw new IllegalArgumentException("busy:busy:... is the same as busy:...");
      }
    }

    @Override
    public long delayMs(long seed, int round, int task, long workMs) {
      return delays.delayMs(seed, round, task, workMs);
    }

    @Override
    public boolean burnsCpu() {
      return true;
    }

    @Override
    public String toString() {
      return "busy:" + delays;
    }
  }

  private static SplittableRandom random(long seed, int round, int task) {
    long key = seed * 0x9E3779B97F4A7C15L + round * 0xBF58476D1CE4E5B9L + task * 0x94D049BB133111EBL;
    return new SplittableRandom(key).split();
  }

  /**
   * Parses {@code none}, {@code slow:FRACTION:FACTOR}, {@code lognormal:MEDIAN_MS:SIGMA} or
   * {@code slow-task:TASK:DELAY_MS}, each
   * optionally prefixed with {@code busy:} for stragglers that burn their core.
   */
  static StragglerPolicy parse(String s) {
    String t = s.trim();
    if (t.startsWith("busy:")) {
      return new Busy(parse(t.substring("busy:".length())));
    }
    String[] p = t.split(":");
    try {
      return switch (p[0]) {
        case "none" -> new None();
        case "slow" -> new Slowdown(Double.parseDouble(p[1]), Double.parseDouble(p[2]));
        case "lognormal" -> new LogNormal(Double.parseDouble(p[1]), Double.parseDouble(p[2]));
        case "slow-task" -> new SlowTask(Integer.parseInt(p[1]), Long.parseLong(p[2]));
        default -> throw new IllegalArgumentException("unknown straggler policy " + p[0]);
      };
    } catch (ArrayIndexOutOfBoundsException | NumberFormatException e) {
      throw new IllegalArgumentException("straggler policy must be none, slow:FRACTION:FACTOR or "
          + "lognormal:MEDIAN_MS:SIGMA or slow-task:TASK:DELAY_MS, optionally after busy:, not '" + s + "'", e);
    }
  }
}
