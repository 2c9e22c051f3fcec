package org.neurolake.melc;

/** The mean over the classes present of each class's recall. */
public final class BalancedAccuracy {
  private BalancedAccuracy() {}

  public static double of(int[] truth, int[] predicted, int classes) {
    long[] total = new long[classes];
    long[] right = new long[classes];
    for (int i = 0; i < truth.length; i++) {
      total[truth[i]]++;
      if (predicted[i] == truth[i]) {
        right[truth[i]]++;
      }
    }
    double sum = 0;
    int present = 0;
    for (int c = 0; c < classes; c++) {
      if (total[c] > 0) {
        sum += (double) right[c] / total[c];
        present++;
      }
    }
    return sum / present;
  }
}
