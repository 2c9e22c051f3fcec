package org.neurolake.model.lfads;

/** KL divergence between one-dimensional Gaussians N(m, e^lv) (posterior) and N(pm, e^plv) (prior). */
final class GaussianKl {
  private GaussianKl() {}

  static double kl(double m, double lv, double pm, double plv) {
    double d = m - pm;
    return 0.5 * (plv - lv + Math.exp(lv - plv) + d * d * Math.exp(-plv) - 1.0);
  }

  static double dMean(double m, double lv, double pm, double plv) {
    return (m - pm) * Math.exp(-plv);
  }

  static double dLogVar(double m, double lv, double pm, double plv) {
    return 0.5 * (Math.exp(lv - plv) - 1.0);
  }

  static double dPriorLogVar(double m, double lv, double pm, double plv) {
    double d = m - pm;
    return 0.5 * (1.0 - Math.exp(lv - plv) - d * d * Math.exp(-plv));
  }
}
