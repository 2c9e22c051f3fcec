package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The KL of the g0 posterior and the AR(1) prior of the inputs, against independent computations. */
class ProbabilityTest {

  @Test
  void gaussianKlMatchesTheMatrixFormulaAndSampling() {
    double[] m = {0.3, -1.2, 2.0};
    double[] lv = {-1.0, 0.5, -3.0};
    double[] pm = {0.0, 0.4, 1.5};
    double[] plv = {Math.log(0.1), 0.0, -2.0};
    double kl = 0;
    for (int i = 0; i < 3; i++) {
      kl += GaussianKl.kl(m[i], lv[i], pm[i], plv[i]);
    }
    // 0.5 [tr(Sp^-1 Sq) + (mp - mq)' Sp^-1 (mp - mq) - k + ln(det Sp / det Sq)], diagonal covariances.
    double trace = 0;
    double quad = 0;
    double logDetRatio = 0;
    for (int i = 0; i < 3; i++) {
      trace += Math.exp(lv[i]) / Math.exp(plv[i]);
      quad += (pm[i] - m[i]) * (pm[i] - m[i]) / Math.exp(plv[i]);
      logDetRatio += plv[i] - lv[i];
    }
    assertEquals(0.5 * (trace + quad - 3 + logDetRatio), kl, 1e-12);
    // Monte Carlo E_q[log q - log p].
    SplittableRandom rng = new SplittableRandom(1);
    int n = 400_000;
    double sum = 0;
    for (int s = 0; s < n; s++) {
      for (int i = 0; i < 3; i++) {
        double e = rng.nextGaussian();
        double z = m[i] + Math.exp(0.5 * lv[i]) * e;
        double logQ = -0.5 * (FastMath.LOG_2PI + lv[i] + e * e);
        double logP = -0.5 * (FastMath.LOG_2PI + plv[i] + (z - pm[i]) * (z - pm[i]) / Math.exp(plv[i]));
        sum += logQ - logP;
      }
    }
    assertEquals(kl, sum / n, 0.02 * kl);
  }

  @Test
  void gaussianKlGradientsMatchFiniteDifferences() {
    double m = 0.7;
    double lv = -0.4;
    double pm = -0.2;
    double plv = 0.3;
    double h = 1e-6;
    assertEquals((GaussianKl.kl(m + h, lv, pm, plv) - GaussianKl.kl(m - h, lv, pm, plv)) / (2 * h),
        GaussianKl.dMean(m, lv, pm, plv), 1e-7);
    assertEquals((GaussianKl.kl(m, lv + h, pm, plv) - GaussianKl.kl(m, lv - h, pm, plv)) / (2 * h),
        GaussianKl.dLogVar(m, lv, pm, plv), 1e-7);
    assertEquals((GaussianKl.kl(m, lv, pm, plv + h) - GaussianKl.kl(m, lv, pm, plv - h)) / (2 * h),
        GaussianKl.dPriorLogVar(m, lv, pm, plv), 1e-7);
    assertEquals(0.0, GaussianKl.kl(m, lv, m, lv), 1e-15);
  }

  @Test
  void ar1DensityIsTheStationaryGaussianProcess() {
    double tau = 4.0;
    double noiseVar = 0.3;
    double[] z = {0.5, 0.1, -0.7, -0.2, 0.9, 1.3};
    int n = z.length;
    double phi = Math.exp(-1 / tau);
    double processVar = noiseVar / (1 - phi * phi);
    // Stationary first step, then conditionals, written out directly.
    double direct = logNormal(z[0], 0, processVar);
    for (int t = 1; t < n; t++) {
      direct += logNormal(z[t], phi * z[t - 1], noiseVar);
    }
    double lp = Ar1Prior.logDensity(z, n, Math.log(tau), Math.log(noiseVar), 1.0, null, null);
    assertEquals(direct, lp, 1e-12);
    // The joint Gaussian with covariance processVar * phi^|i-j| (Cholesky).
    double[][] cov = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        cov[i][j] = processVar * Math.pow(phi, Math.abs(i - j));
      }
    }
    double[][] l = cholesky(cov);
    double[] w = new double[n];
    double logDet = 0;
    for (int i = 0; i < n; i++) {
      double s = z[i];
      for (int k = 0; k < i; k++) {
        s -= l[i][k] * w[k];
      }
      w[i] = s / l[i][i];
      logDet += 2 * Math.log(l[i][i]);
    }
    double quad = 0;
    for (double v : w) {
      quad += v * v;
    }
    assertEquals(-0.5 * (n * FastMath.LOG_2PI + logDet + quad), lp, 1e-10);
  }

  @Test
  void ar1GradientsMatchFiniteDifferences() {
    double[] z = {0.5, 0.1, -0.7, -0.2, 0.9};
    double lt = Math.log(3.0);
    double ln = Math.log(0.2);
    double weight = 0.7;
    double[] dz = new double[z.length];
    double[] dp = new double[2];
    Ar1Prior.logDensity(z, z.length, lt, ln, weight, dz, dp);
    double h = 1e-6;
    for (int t = 0; t < z.length; t++) {
      double[] up = z.clone();
      double[] down = z.clone();
      up[t] += h;
      down[t] -= h;
      double fd = weight * (Ar1Prior.logDensity(up, z.length, lt, ln, 1, null, null)
          - Ar1Prior.logDensity(down, z.length, lt, ln, 1, null, null)) / (2 * h);
      assertEquals(fd, dz[t], 1e-6, "z[" + t + "]");
    }
    double fdTau = weight * (Ar1Prior.logDensity(z, z.length, lt + h, ln, 1, null, null)
        - Ar1Prior.logDensity(z, z.length, lt - h, ln, 1, null, null)) / (2 * h);
    double fdNoise = weight * (Ar1Prior.logDensity(z, z.length, lt, ln + h, 1, null, null)
        - Ar1Prior.logDensity(z, z.length, lt, ln - h, 1, null, null)) / (2 * h);
    assertEquals(fdTau, dp[0], 1e-6);
    assertEquals(fdNoise, dp[1], 1e-6);
  }

  @Test
  void logGammaAndFactorials() {
    assertEquals(Math.log(120), FastMath.logGamma(6), 1e-12);
    assertEquals(0.5 * Math.log(Math.PI), FastMath.logGamma(0.5), 1e-12);
    assertEquals(Math.log(3628800), LfadsGraph.logFactorial(10f), 1e-9);
    double stirling = 2000 * Math.log(2000) - 2000 + 0.5 * Math.log(2 * Math.PI * 2000) + 1.0 / (12 * 2000);
    assertEquals(stirling, LfadsGraph.logFactorial(2000f), 1e-6);
  }

  @Test
  void floorLogVarIsLogOfExpPlusFloor() {
    for (double raw : new double[] {-30, -5, -1e-3, 0, 2, 40}) {
      assertEquals(Math.log(Math.exp(raw) + 1e-4), FastMath.floorLogVar(raw, 1e-4), 1e-9, "raw " + raw);
      double h = 1e-6;
      assertEquals((FastMath.floorLogVar(raw + h, 1e-4) - FastMath.floorLogVar(raw - h, 1e-4)) / (2 * h),
          FastMath.floorLogVarSlope(raw, 1e-4), 1e-6);
    }
    assertEquals(-3.0, FastMath.floorLogVar(-3.0, 0.0));
    assertEquals((float) Math.tanh(0.3), FastMath.tanh(0.3f), 1e-7f);
    assertEquals((float) Math.tanh(-4.0), FastMath.tanh(-4f), 1e-7f);
  }

  private static double logNormal(double x, double mean, double var) {
    return -0.5 * (Math.log(2 * Math.PI * var) + (x - mean) * (x - mean) / var);
  }

  private static double[][] cholesky(double[][] a) {
    int n = a.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
      }
    }
    return l;
  }
}
