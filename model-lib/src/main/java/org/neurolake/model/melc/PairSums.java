package org.neurolake.model.melc;

/**
 * The kernel sums of the objective accumulated pair by pair, for the exact sum and for
 * sort-and-discard: {@code S(X,Y)} (ordered pairs, the diagonal counted at the start), the sums
 * {@code T(X,Y) = Σ K d²} that give {@code dD/dH}, and per point the sums {@code Σ_j K d_ij} over
 * its own class and over the other class that give {@code dD/dp_i}.
 */
final class PairSums {
  final double h;
  private final int[] y;
  double sAA;
  double sBB;
  double sAB;
  private double tAA;
  private double tBB;
  private double tAB;
  private final double[] fSame;
  private final double[] fCross;
  /** Ordered pairs (diagonal included) counted, per type: what sort-and-discard skipped is the rest. */
  long countedAA;
  long countedBB;
  long countedAB;

  PairSums(double h, int[] y, long nA, long nB) {
    this.h = h;
    this.y = y;
    this.sAA = nA;
    this.sBB = nB;
    this.countedAA = nA;
    this.countedBB = nB;
    this.fSame = new double[y.length];
    this.fCross = new double[y.length];
  }

  /** Adds the pair (i, j), i != j, with {@code d = p_i - p_j} and kernel {@code k = exp(-d²/2H)}. */
  void add(int i, int j, double d, double k) {
    double kd = k * d;
    if (y[i] == y[j]) {
      if (y[i] == 0) {
        sAA += 2 * k;
        tAA += 2 * kd * d;
        countedAA += 2;
      } else {
        sBB += 2 * k;
        tBB += 2 * kd * d;
        countedBB += 2;
      }
      fSame[i] += kd;
      fSame[j] -= kd;
    } else {
      sAB += k;
      tAB += kd * d;
      countedAB++;
      fCross[i] += kd;
      fCross[j] -= kd;
    }
  }

  double value() {
    return Math.log(sAA) + Math.log(sBB) - 2 * Math.log(sAB);
  }

  /** {@code dD/dH} with the point positions fixed. */
  double dValueDh() {
    double h2 = 2 * h * h;
    return tAA / (h2 * sAA) + tBB / (h2 * sBB) - 2 * tAB / (h2 * sAB);
  }

  /** {@code dD/dp_i} with H fixed. */
  double[] dValueDp() {
    double[] g = new double[y.length];
    for (int i = 0; i < g.length; i++) {
      double own = y[i] == 0 ? sAA : sBB;
      g[i] = -(2 / h) * (fSame[i] / own - fCross[i] / sAB);
    }
    return g;
  }
}
