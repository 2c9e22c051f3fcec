package org.neurolake.sentiment;

/** One penalty C of a grid and the dev accuracy of the model fit on the training examples with it. */
public record PenaltyScore(double c, double devAccuracy) {
  public PenaltyScore {
    if (!(c > 0) || Double.isInfinite(c)) {
      throw new IllegalArgumentException("C must be positive and finite, got " + c);
    }
  }

  /** Its metric in the evaluations table (split dev): {@code accuracy_c=2^k} for C = 2^k. */
  public String metric() {
    return "accuracy_c=2^" + Math.getExponent(c);
  }
}
