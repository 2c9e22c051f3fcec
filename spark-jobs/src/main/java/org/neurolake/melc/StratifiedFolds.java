package org.neurolake.melc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Stratified k-fold assignment, seeded: each class's rows shuffled and dealt round-robin to the folds. */
public final class StratifiedFolds {
  private StratifiedFolds() {}

  /** The fold (0..k-1) of every row. */
  public static int[] assign(int[] labels, int classes, int k, long seed) {
    if (k < 2) {
      throw new IllegalArgumentException("k >= 2 folds required, got " + k);
    }
    Random random = new Random(seed);
    int[] fold = new int[labels.length];
    int next = 0;
    for (int c = 0; c < classes; c++) {
      List<Integer> rows = new ArrayList<>();
      for (int i = 0; i < labels.length; i++) {
        if (labels[i] == c) {
          rows.add(i);
        }
      }
      Collections.shuffle(rows, random);
      for (int i : rows) {
        fold[i] = next;
        next = (next + 1) % k;
      }
    }
    return fold;
  }
}
