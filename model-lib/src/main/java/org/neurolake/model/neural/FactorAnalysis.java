package org.neurolake.model.neural;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.DecompositionSolver;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;

/**
 * Factor analysis, {@code x = mu + L z + e} with {@code z ~ N(0, I_k)} and {@code e ~ N(0, Psi)},
 * Psi diagonal, fit by maximum likelihood with EM (Rubin and Thayer 1982; Ghahramani and Hinton
 * 1996). EM works on the sample mean and covariance only ({@link Moments}), so after one pass over
 * the data an iteration costs {@code O(p^2 k)} whatever the number of samples.
 *
 * <p>Start: the probabilistic-PCA solution from the eigen-decomposition of the covariance. Each
 * uniqueness {@code Psi_jj} is kept at or above {@code minUniqueness} times the feature's variance
 * (and a tiny absolute floor), which stops EM running into Heywood cases (a zero uniqueness). EM
 * stops when the mean log-likelihood per sample gains less than {@code tolerance} in an iteration,
 * and throws if that has not happened after {@code maxIterations}.
 *
 * <p>The latents of a sample are its posterior mean
 * {@code E[z | x] = (I + L' Psi^-1 L)^-1 L' Psi^-1 (x - mu)}.
 */
public final class FactorAnalysis {
  private FactorAnalysis() {}

  /** EM settings. */
  public record Config(double tolerance, int maxIterations, double minUniqueness) {
    public Config {
      if (!(tolerance > 0) || maxIterations < 1 || !(minUniqueness > 0 && minUniqueness < 1)) {
        throw new IllegalArgumentException("need tolerance > 0, maxIterations >= 1, 0 < minUniqueness < 1; got "
            + tolerance + ", " + maxIterations + ", " + minUniqueness);
      }
    }

    /** Tolerance 1e-6 nats per sample, 10000 iterations, uniqueness floor 1e-3 of each variance. */
    public static Config defaults() {
      return new Config(1e-6, 10_000, 1e-3);
    }
  }

  /** The sample mean and covariance (divisor n) of the rows of a matrix. */
  public record Moments(int samples, double[] mean, double[] covariance) {
    public Moments {
      mean = mean.clone();
      covariance = covariance.clone();
      if (samples < 2 || covariance.length != mean.length * mean.length) {
        throw new IllegalArgumentException("moments need >= 2 samples and a p x p covariance for p = " + mean.length);
      }
    }

    public int dim() {
      return mean.length;
    }

    @Override
    public double[] mean() {
      return mean.clone();
    }

    /** The covariance, row-major p x p. */
    @Override
    public double[] covariance() {
      return covariance.clone();
    }

    /** One pass over the rows of {@code x}. */
    public static Moments of(RowMatrix x) {
      int n = x.rows();
      int p = x.cols();
      if (n < 2) {
        throw new IllegalArgumentException("need at least 2 samples for a covariance, got " + n);
      }
      double[] v = x.data();
      double[] mean = new double[p];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < p; j++) {
          mean[j] += v[i * p + j];
        }
      }
      for (int j = 0; j < p; j++) {
        mean[j] /= n;
      }
      double[] cov = new double[p * p];
      double[] c = new double[p];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < p; j++) {
          c[j] = v[i * p + j] - mean[j];
        }
        for (int a = 0; a < p; a++) {
          double ca = c[a];
          if (ca == 0) {
            continue;
          }
          int row = a * p;
          for (int b = a; b < p; b++) {
            cov[row + b] += ca * c[b];
          }
        }
      }
      for (int a = 0; a < p; a++) {
        for (int b = a; b < p; b++) {
          cov[a * p + b] /= n;
          cov[b * p + a] = cov[a * p + b];
        }
      }
      return new Moments(n, mean, cov);
    }
  }

  /**
   * A fitted model: mean (p), loadings L (p x k, row-major), uniquenesses diag(Psi) (p), the mean
   * log-likelihood per sample of the training data and the EM iterations used.
   */
  public record Model(double[] mean, double[] loadings, double[] uniqueness, int latents, double logLikelihood,
      int iterations) {
    public Model {
      mean = mean.clone();
      loadings = loadings.clone();
      uniqueness = uniqueness.clone();
      if (loadings.length != mean.length * latents || uniqueness.length != mean.length) {
        throw new IllegalArgumentException("inconsistent factor model sizes");
      }
    }

    public int dim() {
      return mean.length;
    }

    @Override
    public double[] mean() {
      return mean.clone();
    }

    @Override
    public double[] loadings() {
      return loadings.clone();
    }

    @Override
    public double[] uniqueness() {
      return uniqueness.clone();
    }

    /** The posterior means of the latents of every row of {@code x} (n x k). */
    public RowMatrix transform(RowMatrix x) {
      int p = dim();
      int k = latents;
      if (x.cols() != p) {
        throw new IllegalArgumentException("the model has " + p + " features, the matrix " + x.cols());
      }
      double[] beta = posteriorMap(loadings, uniqueness, p, k); // k x p
      double[] v = x.data();
      int n = x.rows();
      double[] z = new double[n * k];
      double[] c = new double[p];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < p; j++) {
          c[j] = v[i * p + j] - mean[j];
        }
        for (int a = 0; a < k; a++) {
          double s = 0;
          int row = a * p;
          for (int j = 0; j < p; j++) {
            s += beta[row + j] * c[j];
          }
          z[i * k + a] = s;
        }
      }
      return RowMatrix.wrap(n, k, z);
    }
  }

  /** Fits k factors to the rows of {@code x}. */
  public static Model fit(RowMatrix x, int k, Config cfg) {
    return fit(Moments.of(x), k, cfg);
  }

  /** Fits k factors to data with these moments. */
  public static Model fit(Moments m, int k, Config cfg) {
    int p = m.dim();
    if (k < 1 || k >= p) {
      throw new IllegalArgumentException("the number of factors must be in [1, " + (p - 1) + "] for " + p
          + " features: " + k);
    }
    double[] s = m.covariance;
    double[] floor = new double[p];
    double meanVar = 0;
    for (int j = 0; j < p; j++) {
      meanVar += s[j * p + j] / p;
    }
    if (!(meanVar > 0)) {
      throw new IllegalArgumentException("factor analysis of data without variance (every feature is constant)");
    }
    for (int j = 0; j < p; j++) {
      floor[j] = Math.max(cfg.minUniqueness() * s[j * p + j], 1e-9 * meanVar);
    }
    double[] l = new double[p * k];
    double[] psi = new double[p];
    start(s, p, k, floor, l, psi);
    double ll = logLikelihood(s, l, psi, p, k);
    for (int iter = 1; iter <= cfg.maxIterations(); iter++) {
      emStep(s, l, psi, p, k, floor);
      double next = logLikelihood(s, l, psi, p, k);
      if (next - ll < cfg.tolerance()) {
        return new Model(m.mean, l, psi, k, next, iter);
      }
      ll = next;
    }
    throw new IllegalStateException("factor analysis with " + k + " factors did not converge in "
        + cfg.maxIterations() + " EM iterations (log-likelihood per sample " + ll + "); raise maxIterations"
        + " or the tolerance " + cfg.tolerance());
  }

  /** Probabilistic PCA: L = U_k sqrt(lambda_k - sigma^2), Psi = diag(S - L L'), floored. */
  private static void start(double[] s, int p, int k, double[] floor, double[] l, double[] psi) {
    EigenDecomposition eig = new EigenDecomposition(toMatrix(s, p));
    double[] values = eig.getRealEigenvalues();
    Integer[] order = new Integer[p];
    for (int i = 0; i < p; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    double rest = 0;
    for (int i = k; i < p; i++) {
      rest += Math.max(values[order[i]], 0) / (p - k);
    }
    for (int a = 0; a < k; a++) {
      int idx = order[a];
      double scale = Math.sqrt(Math.max(values[idx] - rest, 1e-6 * Math.max(values[idx], 0)));
      double[] u = eig.getEigenvector(idx).toArray();
      for (int j = 0; j < p; j++) {
        l[j * k + a] = u[j] * scale;
      }
    }
    for (int j = 0; j < p; j++) {
      double communality = 0;
      for (int a = 0; a < k; a++) {
        communality += l[j * k + a] * l[j * k + a];
      }
      psi[j] = Math.max(s[j * p + j] - communality, floor[j]);
    }
  }

  /**
   * One EM step on the covariance: beta = M^-1 L' Psi^-1 with M = I + L' Psi^-1 L;
   * L <- S beta' (M^-1 + beta S beta')^-1; Psi <- diag(S - L_new beta S), floored.
   */
  private static void emStep(double[] s, double[] l, double[] psi, int p, int k, double[] floor) {
    double[] beta = posteriorMap(l, psi, p, k);
    double[] mInv = inverse(mMatrix(l, psi, p, k), k);
    // sb = S beta' (p x k)
    double[] sb = new double[p * k];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        double sij = s[i * p + j];
        if (sij == 0) {
          continue;
        }
        for (int a = 0; a < k; a++) {
          sb[i * k + a] += sij * beta[a * p + j];
        }
      }
    }
    // ezz = M^-1 + beta S beta' (k x k)
    double[] ezz = mInv.clone();
    for (int a = 0; a < k; a++) {
      for (int b = 0; b < k; b++) {
        double v = 0;
        for (int j = 0; j < p; j++) {
          v += beta[a * p + j] * sb[j * k + b];
        }
        ezz[a * k + b] += v;
      }
    }
    double[] ezzInv = inverse(ezz, k);
    for (int i = 0; i < p; i++) {
      for (int a = 0; a < k; a++) {
        double v = 0;
        for (int b = 0; b < k; b++) {
          v += sb[i * k + b] * ezzInv[b * k + a];
        }
        l[i * k + a] = v;
      }
    }
    for (int j = 0; j < p; j++) {
      double explained = 0;
      for (int a = 0; a < k; a++) {
        explained += l[j * k + a] * sb[j * k + a];
      }
      psi[j] = Math.max(s[j * p + j] - explained, floor[j]);
    }
  }

  /**
   * Mean log-likelihood per sample, {@code -(p log 2pi + log|C| + tr(C^-1 S)) / 2} with
   * {@code C = L L' + Psi}, through the determinant lemma and Woodbury's identity.
   */
  static double logLikelihood(double[] s, double[] l, double[] psi, int p, int k) {
    double[] m = mMatrix(l, psi, p, k);
    CholeskyDecomposition chol = new CholeskyDecomposition(toMatrix(m, k));
    double logDet = Math.log(chol.getDeterminant());
    double trace = 0;
    for (int j = 0; j < p; j++) {
      logDet += Math.log(psi[j]);
      trace += s[j * p + j] / psi[j];
    }
    double[] beta = posteriorMap(l, psi, p, k);
    // tr(beta S Psi^-1 L) = sum_{a, j} (beta S)[a][j] L[j][a] / psi_j
    for (int a = 0; a < k; a++) {
      for (int j = 0; j < p; j++) {
        double bs = 0;
        for (int i = 0; i < p; i++) {
          bs += beta[a * p + i] * s[i * p + j];
        }
        trace -= bs * l[j * k + a] / psi[j];
      }
    }
    return -0.5 * (p * Math.log(2 * Math.PI) + logDet + trace);
  }

  /** M = I + L' Psi^-1 L (k x k). */
  private static double[] mMatrix(double[] l, double[] psi, int p, int k) {
    double[] m = new double[k * k];
    for (int j = 0; j < p; j++) {
      double inv = 1.0 / psi[j];
      for (int a = 0; a < k; a++) {
        double la = l[j * k + a] * inv;
        for (int b = 0; b < k; b++) {
          m[a * k + b] += la * l[j * k + b];
        }
      }
    }
    for (int a = 0; a < k; a++) {
      m[a * k + a] += 1;
    }
    return m;
  }

  /** beta = M^-1 L' Psi^-1 (k x p): the posterior-mean map. */
  static double[] posteriorMap(double[] l, double[] psi, int p, int k) {
    double[] mInv = inverse(mMatrix(l, psi, p, k), k);
    double[] beta = new double[k * p];
    for (int a = 0; a < k; a++) {
      for (int j = 0; j < p; j++) {
        double v = 0;
        for (int b = 0; b < k; b++) {
          v += mInv[a * k + b] * l[j * k + b];
        }
        beta[a * p + j] = v / psi[j];
      }
    }
    return beta;
  }

  private static double[] inverse(double[] a, int k) {
    DecompositionSolver solver = new CholeskyDecomposition(toMatrix(a, k)).getSolver();
    RealMatrix inv = solver.getInverse();
    double[] out = new double[k * k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        out[i * k + j] = inv.getEntry(i, j);
      }
    }
    return out;
  }

  /** The symmetric part of a (rounding leaves products like L' Psi^-1 L a few ulps from symmetric). */
  private static RealMatrix toMatrix(double[] a, int k) {
    double[][] m = new double[k][k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j < k; j++) {
        m[i][j] = 0.5 * (a[i * k + j] + a[j * k + i]);
      }
    }
    return new Array2DRowRealMatrix(m, false);
  }
}
