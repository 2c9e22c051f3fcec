package org.neurolake.bench;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * A benchmark figure over repetitions: the median, and the smallest and largest value it was the
 * median of, so a reader sees how far one run may land from the headline.
 */
public record Spread(double median, double min, double max, int repetitions) {
  public Spread {
    if (repetitions < 1 || !(min <= median && median <= max)) {
      throw new IllegalArgumentException("a spread needs min <= median <= max over >= 1 repetition: " + min + ", "
          + median + ", " + max + " over " + repetitions);
    }
  }

  /** The median (mean of the middle two for an even count), min and max of {@code values}. */
  public static Spread of(double... values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("no values");
    }
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    double median = n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    return new Spread(median, s[0], s[n - 1], n);
  }

  /** The spread of one figure taken from each repetition's result. */
  public static <T> Spread of(List<T> perRepetition, ToDoubleFunction<T> figure) {
    return of(perRepetition.stream().mapToDouble(figure).toArray());
  }

  /**
   * The spread of the per-repetition ratios {@code numerators[i] / denominators[i]}: each ratio
   * compares two scenarios of the same repetition, run back to back, not two medians taken apart.
   */
  public static Spread ofRatios(double[] numerators, double[] denominators) {
    if (numerators.length != denominators.length) {
      throw new IllegalArgumentException(numerators.length + " numerators for " + denominators.length
          + " denominators");
    }
    double[] r = new double[numerators.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = numerators[i] / denominators[i];
    }
    return of(r);
  }
}
