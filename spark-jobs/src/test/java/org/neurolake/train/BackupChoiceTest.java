package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;

class BackupChoiceTest {
  /**
   * Steps take 1 s, or 10 s with probability p. With M machines and b backups the round waits 10 s
   * exactly when more than b machines are slow, so E[T_(N:M)] / N = (1 + 9 P(slow > b)) / (M - b):
   * the best b is known in closed form, and the choice from a sample of the distribution must find it.
   */
  @Test
  void findsTheBestNumberOfBackupsOfATwoPointDistribution() {
    for (double p : new double[] {0.01, 0.05, 0.15}) {
      int m = 40;
      int maxB = 12;
      BinomialDistribution slow = new BinomialDistribution(m, p);
      int best = 0;
      double bestCost = Double.MAX_VALUE;
      for (int b = 0; b <= maxB; b++) {
        double cost = (1 + 9 * (1 - slow.cumulativeProbability(b))) / (m - b);
        if (cost < bestCost) {
          bestCost = cost;
          best = b;
        }
      }
      double[] observed = new double[20_000];
      SplittableRandom r = new SplittableRandom(5);
      for (int i = 0; i < observed.length; i++) {
        observed[i] = r.nextDouble() < p ? 10 : 1;
      }
      BackupChoice.Choice c = BackupChoice.choose(observed, m, maxB, 4000, 11);
      assertEquals(best, c.backups(), "p = " + p + ": estimated costs " + java.util.Arrays.toString(c.secondsPerResult()));
      assertEquals(bestCost, c.secondsPerResult()[best], 0.05 * bestCost);
    }
  }

  @Test
  void withoutStragglersNoBackupIsBest() {
    double[] observed = {1.0, 1.0, 1.0};
    BackupChoice.Choice c = BackupChoice.choose(observed, 10, 3, 100, 1);
    assertEquals(0, c.backups());
    assertTrue(c.secondsPerResult()[3] > c.secondsPerResult()[0]);
  }
}
