package org.neurolake.model.neural;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A partition of trials into training, validation and test sets (indices into the trials of a
 * {@link SpikeCounts}, each set sorted ascending). Immutable: arrays are copied in and out.
 */
public record TrialSplit(int[] train, int[] valid, int[] test) {
  public TrialSplit {
    train = train.clone();
    valid = valid.clone();
    test = test.clone();
    int n = train.length + valid.length + test.length;
    boolean[] seen = new boolean[n];
    for (int[] set : new int[][] {train, valid, test}) {
      for (int t : set) {
        if (t < 0 || t >= n || seen[t]) {
          throw new IllegalArgumentException("trial split: index " + t + " is out of [0, " + n + ") or repeated");
        }
        seen[t] = true;
      }
    }
  }

  /**
   * A seeded random partition of {@code nTrials} trials: round(fraction * n) each for training and
   * validation, the rest for test; every set must get at least one trial.
   */
  public static TrialSplit random(int nTrials, double trainFraction, double validFraction, long seed) {
    if (!(trainFraction > 0 && validFraction > 0 && trainFraction + validFraction < 1)) {
      throw new IllegalArgumentException("need train and valid fractions > 0 with sum < 1; got " + trainFraction
          + ", " + validFraction);
    }
    int nTrain = (int) Math.round(trainFraction * nTrials);
    int nValid = (int) Math.round(validFraction * nTrials);
    if (nTrain < 1 || nValid < 1 || nTrain + nValid >= nTrials) {
      throw new IllegalArgumentException("splitting " + nTrials + " trials " + trainFraction + "/" + validFraction
          + " leaves a set empty");
    }
    int[] perm = permutation(nTrials, seed);
    return new TrialSplit(sorted(perm, 0, nTrain), sorted(perm, nTrain, nTrain + nValid),
        sorted(perm, nTrain + nValid, nTrials));
  }

  @Override
  public int[] train() {
    return train.clone();
  }

  @Override
  public int[] valid() {
    return valid.clone();
  }

  @Override
  public int[] test() {
    return test.clone();
  }

  /** A seeded Fisher-Yates shuffle of 0..n-1. */
  static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  static int[] sorted(int[] a, int from, int to) {
    int[] out = Arrays.copyOfRange(a, from, to);
    Arrays.sort(out);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrialSplit s && Arrays.equals(s.train, train) && Arrays.equals(s.valid, valid)
        && Arrays.equals(s.test, test);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(train) * 961 + Arrays.hashCode(valid) * 31 + Arrays.hashCode(test);
  }

  @Override
  public String toString() {
    return "TrialSplit[train=" + train.length + ", valid=" + valid.length + ", test=" + test.length + "]";
  }
}
