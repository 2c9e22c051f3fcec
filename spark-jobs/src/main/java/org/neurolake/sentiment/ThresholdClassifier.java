package org.neurolake.sentiment;

import java.util.Arrays;

/**
 * A one-feature classifier: predicts 1 when {@code sign * (x - threshold) > 0}. The paper's
 * single-unit result: the sentiment unit's value, one threshold fit on the training set.
 *
 * @param threshold the cut
 * @param sign +1 when large values mean label 1, -1 when small values do
 */
public record ThresholdClassifier(double threshold, int sign) {
  public ThresholdClassifier {
    if (sign != 1 && sign != -1) {
      throw new IllegalArgumentException("sign must be +1 or -1, got " + sign);
    }
    if (!Double.isFinite(threshold)) {
      throw new IllegalArgumentException("threshold must be finite, got " + threshold);
    }
  }

  /**
   * The threshold and direction of highest training accuracy: every midpoint between consecutive
   * distinct values (and one below the minimum) is tried in both directions; ties keep the first
   * found (the lowest threshold, positive direction first). Labels are 0 or 1.
   */
  public static ThresholdClassifier fit(double[] values, int[] labels) {
    requireSameLength(values, labels);
    if (values.length == 0) {
      throw new IllegalArgumentException("cannot fit a threshold on no examples");
    }
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("labels must be 0 or 1, example " + i + " has " + labels[i]);
      }
      if (!Double.isFinite(values[i])) {
        throw new IllegalArgumentException("example " + i + " has a non-finite value " + values[i]);
      }
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    int positives = Arrays.stream(labels).sum();
    int n = values.length;
    // Cut below everything: positive direction predicts all 1 (correct = positives).
    int correctUp = positives;
    int bestCorrect = Math.max(correctUp, n - correctUp);
    double bestThreshold = values[order[0]] - 1;
    int bestSign = correctUp >= n - correctUp ? 1 : -1;
    for (int k = 0; k < n; k++) {
      // Move example order[k] below the cut: the positive direction now predicts it 0.
      correctUp += labels[order[k]] == 0 ? 1 : -1;
      boolean lastOfValue = k == n - 1 || values[order[k + 1]] > values[order[k]];
      if (!lastOfValue) {
        continue;
      }
      double cut = k == n - 1 ? values[order[k]] + 1 : (values[order[k]] + values[order[k + 1]]) / 2;
      if (correctUp > bestCorrect) {
        bestCorrect = correctUp;
        bestThreshold = cut;
        bestSign = 1;
      }
      if (n - correctUp > bestCorrect) {
        bestCorrect = n - correctUp;
        bestThreshold = cut;
        bestSign = -1;
      }
    }
    return new ThresholdClassifier(bestThreshold, bestSign);
  }

  public int predict(double value) {
    return sign * (value - threshold) > 0 ? 1 : 0;
  }

  /** Fraction of examples predicted right. */
  public double accuracy(double[] values, int[] labels) {
    requireSameLength(values, labels);
    if (values.length == 0) {
      throw new IllegalArgumentException("accuracy of no examples is undefined");
    }
    int right = 0;
    for (int i = 0; i < values.length; i++) {
      right += predict(values[i]) == labels[i] ? 1 : 0;
    }
    return (double) right / values.length;
  }

  private static void requireSameLength(double[] values, int[] labels) {
    if (values.length != labels.length) {
      throw new IllegalArgumentException(values.length + " values but " + labels.length + " labels");
    }
  }
}
