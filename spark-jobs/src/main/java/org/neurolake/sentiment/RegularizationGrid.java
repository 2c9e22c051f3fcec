package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;

/**
 * The paper's L1 penalty grid, C = 2^-8 ... 2^0, and its translation into Spark MLlib's regParam.
 *
 * <p>scikit-learn's L1 logistic regression (the paper's probe) minimizes C * sum_i loss_i + ||w||_1;
 * MLlib's minimizes (1/n) sum_i loss_i + regParam * ||w||_1 (with elasticNetParam = 1). Dividing the
 * first by C n gives the second with <b>regParam = 1 / (C n)</b>, n the number of training
 * examples: both have the same minimizer. (Neither penalizes the intercept; the probe fits MLlib
 * without standardization, as scikit-learn does, so the penalty acts on the same weights.)
 */
public final class RegularizationGrid {
  /** Exponents of the paper's grid: C = 2^k for k = -8 .. 0. */
  public static final int MIN_EXPONENT = -8;
  public static final int MAX_EXPONENT = 0;

  private RegularizationGrid() {}

  /** C = 2^-8, 2^-7, ..., 2^0, ascending (strongest penalty first). */
  public static List<Double> paperGrid() {
    List<Double> out = new ArrayList<>();
    for (int k = MIN_EXPONENT; k <= MAX_EXPONENT; k++) {
      out.add(Math.scalb(1.0, k));
    }
    return out;
  }

  /** C = 2^k for each exponent k given, ascending and without repeats. */
  public static List<Double> grid(List<Integer> exponents) {
    if (exponents.isEmpty()) {
      throw new IllegalArgumentException("a penalty grid needs at least one exponent");
    }
    for (int k : exponents) {
      if (k < -60 || k > 60) {
        throw new IllegalArgumentException("C = 2^" + k + " is outside any sensible grid (exponents in [-60, 60])");
      }
    }
    return exponents.stream().distinct().sorted().map(k -> Math.scalb(1.0, k)).toList();
  }

  /** MLlib's regParam equivalent to scikit-learn's C on n training examples: 1 / (C n). */
  public static double regParam(double c, long n) {
    if (!(c > 0) || Double.isInfinite(c) || n < 1) {
      throw new IllegalArgumentException("C must be positive and finite and n >= 1, got C=" + c + ", n=" + n);
    }
    return 1.0 / (c * n);
  }

  /** scikit-learn's C equivalent to MLlib's regParam on n training examples: 1 / (regParam n). */
  public static double c(double regParam, long n) {
    if (!(regParam > 0) || Double.isInfinite(regParam) || n < 1) {
      throw new IllegalArgumentException("regParam must be positive and finite and n >= 1, got regParam=" + regParam
          + ", n=" + n);
    }
    return 1.0 / (regParam * n);
  }
}
