package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The data-efficiency experiment's training subsets: sizes 8, 16, 32, ... below the number of
 * labeled training examples, then all of them; and, per (size, seed), a stratified random subset
 * (each class in its training proportion, at least one example of each, so a classifier can be
 * fit) drawn without replacement by a generator seeded from (seed, size).
 */
public final class LabeledSubsets {
  public static final int SMALLEST = 8;

  private LabeledSubsets() {}

  /** 8, 16, 32, ... (powers of two below {@code available}), then {@code available}. */
  public static List<Integer> sizes(int available) {
    if (available < 2) {
      throw new IllegalArgumentException("need at least 2 labeled training examples, have " + available);
    }
    List<Integer> out = new ArrayList<>();
    for (long s = SMALLEST; s < available; s *= 2) {
      out.add((int) s);
    }
    out.add(available);
    return out;
  }

  /**
   * Indices (ascending) of a stratified sample of {@code size} examples of {@code labels} (0 or 1).
   * {@code size} = all returns every index. Deterministic in (labels, size, seed).
   */
  public static int[] sample(int[] labels, int size, long seed) {
    int n = labels.length;
    if (size < 2 || size > n) {
      throw new IllegalArgumentException("subset size must be in [2, " + n + "], got " + size);
    }
    List<Integer> ones = new ArrayList<>();
    List<Integer> zeros = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (labels[i] == 1) {
        ones.add(i);
      } else if (labels[i] == 0) {
        zeros.add(i);
      } else {
        throw new IllegalArgumentException("labels must be 0 or 1, example " + i + " has " + labels[i]);
      }
    }
    if (ones.isEmpty() || zeros.isEmpty()) {
      throw new IllegalArgumentException("the training examples hold only one class (" + ones.size() + " positive, "
          + zeros.size() + " negative)");
    }
    int takeOnes = (int) Math.round((double) size * ones.size() / n);
    takeOnes = Math.max(1, Math.min(size - 1, Math.min(ones.size(), takeOnes)));
    int takeZeros = size - takeOnes;
    if (takeZeros > zeros.size()) {
      takeZeros = zeros.size();
      takeOnes = size - takeZeros;
    }
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ (size * 0xBF58476D1CE4E5B9L));
    int[] out = new int[size];
    int at = pick(ones, takeOnes, rng, out, 0);
    pick(zeros, takeZeros, rng, out, at);
    Arrays.sort(out);
    return out;
  }

  /** A partial Fisher-Yates shuffle: the first k of a random permutation of {@code from}. */
  private static int pick(List<Integer> from, int k, SplittableRandom rng, int[] out, int at) {
    int[] a = from.stream().mapToInt(Integer::intValue).toArray();
    for (int i = 0; i < k; i++) {
      int j = i + rng.nextInt(a.length - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
      out[at + i] = a[i];
    }
    return at + k;
  }
}
