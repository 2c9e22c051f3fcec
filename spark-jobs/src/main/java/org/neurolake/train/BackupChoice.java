package org.neurolake.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The number of backups for M machines that minimizes the expected round time per accepted result,
 * E[T_(N:M)] / N with N = M - b (T_(N:M) the N-th fastest of M step times: the round ends when N
 * results are in), estimated from observed step times by resampling: the analysis of the
 * backup-workers paper, with the empirical distribution in place of a model of it. Fewer backups
 * use more results per round; more backups cut the tail each round waits for.
 */
public final class BackupChoice {
  /** Bootstrap rounds per choice, for the simulator and the Spark engine alike. */
  public static final int RESAMPLES = 200;

  private BackupChoice() {}

  /** What each candidate b was estimated to cost, and the best. */
  public record Choice(int backups, double[] secondsPerResult) {}

  /**
   * The best b in {@code 0..maxBackups} for {@code machines} workers, from {@code observedS}
   * (at least one value), with {@code resamples} bootstrap rounds of M draws (seeded).
   */
  public static Choice choose(double[] observedS, int machines, int maxBackups, int resamples, long seed) {
    if (observedS.length == 0) {
      throw new IllegalArgumentException("no step times observed");
    }
    if (maxBackups < 0 || maxBackups >= machines) {
      throw new IllegalArgumentException("backups must be in [0, M): " + maxBackups + " of " + machines);
    }
    double[] orderSums = new double[machines];
    SplittableRandom r = new SplittableRandom(seed);
    double[] draw = new double[machines];
    for (int s = 0; s < resamples; s++) {
      for (int i = 0; i < machines; i++) {
        draw[i] = observedS[r.nextInt(observedS.length)];
      }
      Arrays.sort(draw);
      for (int i = 0; i < machines; i++) {
        orderSums[i] += draw[i];
      }
    }
    double[] perResult = new double[maxBackups + 1];
    int best = 0;
    for (int b = 0; b <= maxBackups; b++) {
      int n = machines - b;
      perResult[b] = orderSums[n - 1] / resamples / n;
      if (perResult[b] < perResult[best]) {
        best = b;
      }
    }
    return new Choice(best, perResult);
  }
}
