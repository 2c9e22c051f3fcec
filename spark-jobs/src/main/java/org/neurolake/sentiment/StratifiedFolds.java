package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Stratified k-fold assignment of binary-labeled examples: each class's examples are shuffled by a
 * generator seeded from (seed, class) and dealt round-robin to the folds, the second class
 * continuing where the first stopped, so every fold holds each class's share to within one example
 * and the folds' sizes differ by at most one. Deterministic in (labels, k, seed).
 */
public final class StratifiedFolds {
  private final int[] fold;
  private final int k;

  private StratifiedFolds(int[] fold, int k) {
    this.fold = fold;
    this.k = k;
  }

  public static StratifiedFolds assign(int[] labels, int k, long seed) {
    if (k < 2 || k > labels.length) {
      throw new IllegalArgumentException("need 2 <= k <= " + labels.length + " examples, got k = " + k);
    }
    int[] fold = new int[labels.length];
    int dealt = 0;
    for (int label = 0; label <= 1; label++) {
      int c = label;
      int[] members = IntStream.range(0, labels.length).filter(i -> labels[i] == c).toArray();
      SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + c);
      for (int i = members.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = members[i];
        members[i] = members[j];
        members[j] = t;
      }
      for (int m : members) {
        fold[m] = dealt++ % k;
      }
    }
    if (dealt != labels.length) {
      throw new IllegalArgumentException("labels must be 0 or 1 (" + (labels.length - dealt) + " are not)");
    }
    return new StratifiedFolds(fold, k);
  }

  public int folds() {
    return k;
  }

  /** Every example's fold, in example order (a copy). */
  public int[] foldsOf() {
    return fold.clone();
  }

  /** The number of examples assigned. */
  public int size() {
    return fold.length;
  }

  /** The fold of example {@code i}. */
  public int foldOf(int i) {
    return fold[i];
  }

  /** Indices (ascending) of the examples in fold {@code f}: its test part. */
  public int[] test(int f) {
    return select(f, true);
  }

  /** Indices (ascending) of the examples in every other fold: fold {@code f}'s training part. */
  public int[] train(int f) {
    return select(f, false);
  }

  private int[] select(int f, boolean in) {
    if (f < 0 || f >= k) {
      throw new IllegalArgumentException("fold " + f + " of " + k);
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < fold.length; i++) {
      if ((fold[i] == f) == in) {
        out.add(i);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }
}
