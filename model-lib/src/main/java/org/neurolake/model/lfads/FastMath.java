package org.neurolake.model.lfads;

/** The scalar functions of the model, in double inside and float outside. */
final class FastMath {
  static final double LOG_2PI = Math.log(2 * Math.PI);

  private FastMath() {}

  static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  /** tanh through one exp (Math.tanh is several times slower); exact to float rounding. */
  static float tanh(float x) {
    double e = Math.exp(-2.0 * Math.abs(x));
    double t = (1.0 - e) / (1.0 + e);
    return (float) (x < 0 ? -t : t);
  }

  /** log(exp(raw) + floor): a log-variance bounded below by log(floor); raw itself when floor is 0. */
  static double floorLogVar(double raw, double floor) {
    if (floor == 0) {
      return raw;
    }
    double lf = Math.log(floor);
    return raw > lf ? raw + Math.log1p(floor * Math.exp(-raw)) : lf + Math.log1p(Math.exp(raw) / floor);
  }

  /** d floorLogVar / d raw = exp(raw) / (exp(raw) + floor). */
  static double floorLogVarSlope(double raw, double floor) {
    if (floor == 0) {
      return 1.0;
    }
    return 1.0 / (1.0 + Math.exp(Math.log(floor) - raw));
  }

  private static final double[] LANCZOS = {0.99999999999980993, 676.5203681218851, -1259.1392167224028,
      771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7};

  /** log Gamma(x) for x > 0 (Lanczos, g = 7; relative error about 1e-15). */
  static double logGamma(double x) {
    if (!(x > 0)) {
      throw new IllegalArgumentException("logGamma needs x > 0: " + x);
    }
    if (x < 0.5) {
      return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
    }
    double z = x - 1;
    double a = LANCZOS[0];
    double t = z + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      a += LANCZOS[i] / (z + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
  }
}
