package org.neurolake.ngram;

/**
 * The three discounts of modified Kneser-Ney smoothing for one n-gram order (Chen and Goodman 1998,
 * eq. 26), from the counts of counts of that order's (modified) counts: n_k = number of n-grams
 * with count k. With Y = n1 / (n1 + 2 n2): D1 = 1 - 2Y n2/n1, D2 = 2 - 3Y n3/n2, D3+ = 3 - 4Y n4/n3.
 */
public record KnDiscounts(int order, long n1, long n2, long n3, long n4, double d1, double d2, double d3plus) {

  public static KnDiscounts of(int order, long n1, long n2, long n3, long n4) {
    if (n1 <= 0 || n2 <= 0 || n3 <= 0) {
      throw new IllegalArgumentException("order " + order + " has too few distinct counts for modified Kneser-Ney"
          + " discounts (counts of counts n1..n4 = " + n1 + ", " + n2 + ", " + n3 + ", " + n4
          + "): the corpus is too small for this order");
    }
    double y = (double) n1 / (n1 + 2.0 * n2);
    double d1 = 1 - 2 * y * n2 / n1;
    double d2 = 2 - 3 * y * n3 / n2;
    double d3 = 3 - 4 * y * n4 / n3;
    if (d1 < 0 || d2 < 0 || d3 < 0) {
      throw new IllegalArgumentException("order " + order + ": a modified Kneser-Ney discount is negative (D1, D2, D3+ = "
          + d1 + ", " + d2 + ", " + d3 + " from counts of counts " + n1 + ", " + n2 + ", " + n3 + ", " + n4 + ")");
    }
    return new KnDiscounts(order, n1, n2, n3, n4, d1, d2, d3);
  }

  /** The discount of an n-gram with (modified) count {@code count} >= 1. */
  public double discount(long count) {
    return count == 1 ? d1 : count == 2 ? d2 : d3plus;
  }
}
