package org.neurolake.model.neural;

import java.util.Arrays;

/**
 * A partition of trials into training, validation and test sets (indices into the trials of a
 * {@link SpikeCounts}, each set sorted ascending). Immutable: arrays are copied in and out. The
 * seeded split of a session is {@link SessionSplit#trials}.
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
