package org.neurolake.model.lfads;

/**
 * The inferred inputs' prior, the reference's {@code LearnableAutoRegressive1Prior}: per input
 * dimension a zero-mean AR(1) process z_t = phi z_{t-1} + eps_t, eps_t ~ N(0, noiseVar), phi =
 * exp(-1/tau), started in its stationary distribution N(0, noiseVar / (1 - phi^2)). Parameterized
 * by log tau and log noiseVar.
 */
final class Ar1Prior {
  private Ar1Prior() {}

  static double phi(double logTau) {
    return Math.exp(-Math.exp(-logTau));
  }

  /** log of the stationary variance noiseVar / (1 - phi^2). */
  static double logProcessVar(double logNoiseVar, double phi) {
    return logNoiseVar - Math.log1p(-phi) - Math.log1p(phi);
  }

  /**
   * log p(z_0 .. z_{n-1}) of one dimension's sequence. With {@code dz} non-null, adds
   * {@code weight * d log p / d z_t} to {@code dz[t]} and {@code weight * d log p / d(log tau, log
   * noiseVar)} to {@code dParams[0..1]}.
   */
  static double logDensity(double[] z, int n, double logTau, double logNoiseVar, double weight, double[] dz,
      double[] dParams) {
    double phi = phi(logTau);
    double logPv = logProcessVar(logNoiseVar, phi);
    double invPv = Math.exp(-logPv);
    double invNv = Math.exp(-logNoiseVar);
    double lp = -0.5 * (FastMath.LOG_2PI + logPv + z[0] * z[0] * invPv);
    double dLogPv = 0;
    double dLogNv = 0;
    double dPhi = 0;
    if (dz != null) {
      dz[0] += -weight * z[0] * invPv;
      dLogPv += weight * -0.5 * (1 - z[0] * z[0] * invPv);
    }
    for (int t = 1; t < n; t++) {
      double e = z[t] - phi * z[t - 1];
      lp += -0.5 * (FastMath.LOG_2PI + logNoiseVar + e * e * invNv);
      if (dz != null) {
        double g = weight * e * invNv;
        dz[t] -= g;
        dz[t - 1] += g * phi;
        dPhi += g * z[t - 1];
        dLogNv += weight * -0.5 * (1 - e * e * invNv);
      }
    }
    if (dz != null) {
      // logPv = logNv - log(1 - phi) - log(1 + phi); phi = exp(-exp(-logTau)).
      dLogNv += dLogPv;
      dPhi += dLogPv * 2 * phi / (1 - phi * phi);
      dParams[0] += dPhi * phi * Math.exp(-logTau);
      dParams[1] += dLogNv;
    }
    return lp;
  }
}
