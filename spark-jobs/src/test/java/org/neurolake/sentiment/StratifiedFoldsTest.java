package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class StratifiedFoldsTest {
  /** 73 positives and 30 negatives, interleaved unevenly. */
  static int[] labels() {
    return IntStream.range(0, 103).map(i -> i % 7 < 5 && i < 100 || i >= 100 ? 1 : 0).toArray();
  }

  @Test
  void everyFoldHoldsEachClassShareAndTheFoldsPartitionTheExamples() {
    int[] y = labels();
    int ones = (int) Arrays.stream(y).filter(v -> v == 1).count();
    int zeros = y.length - ones;
    StratifiedFolds folds = StratifiedFolds.assign(y, 10, 7);
    int[] seen = new int[y.length];
    for (int fold = 0; fold < 10; fold++) {
      int f = fold;
      int[] test = folds.test(f);
      int[] train = folds.train(f);
      assertEquals(y.length, test.length + train.length);
      assertTrue(test.length == y.length / 10 || test.length == y.length / 10 + 1, "fold " + f + ": " + test.length);
      long pos = Arrays.stream(test).filter(i -> y[i] == 1).count();
      assertTrue(Math.abs(pos - ones / 10.0) <= 1, "fold " + f + " has " + pos + " positives of " + ones);
      assertTrue(Math.abs(test.length - pos - zeros / 10.0) <= 1, "fold " + f + " negatives");
      for (int i : test) {
        seen[i]++;
        assertEquals(f, folds.foldOf(i));
      }
      assertTrue(Arrays.stream(train).noneMatch(i -> folds.foldOf(i) == f));
    }
    assertTrue(Arrays.stream(seen).allMatch(c -> c == 1), "each example is in exactly one test fold");
  }

  @Test
  void theAssignmentIsDeterministicInTheSeedAndShuffled() {
    int[] y = labels();
    StratifiedFolds a = StratifiedFolds.assign(y, 10, 7);
    StratifiedFolds b = StratifiedFolds.assign(y, 10, 7);
    StratifiedFolds c = StratifiedFolds.assign(y, 10, 8);
    int[] fa = IntStream.range(0, y.length).map(a::foldOf).toArray();
    assertArrayEquals(fa, IntStream.range(0, y.length).map(b::foldOf).toArray());
    assertFalse(Arrays.equals(fa, IntStream.range(0, y.length).map(c::foldOf).toArray()), "another seed, other folds");
    int[] first = a.test(0);
    assertFalse(Arrays.equals(first, IntStream.range(0, first.length).toArray()), "not the first examples in order");
  }

  @Test
  void impossibleFoldCountsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> StratifiedFolds.assign(new int[] {0, 1, 0}, 4, 1));
    assertThrows(IllegalArgumentException.class, () -> StratifiedFolds.assign(new int[] {0, 1, 0}, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> StratifiedFolds.assign(new int[] {0, 2, 1}, 2, 1));
  }
}
