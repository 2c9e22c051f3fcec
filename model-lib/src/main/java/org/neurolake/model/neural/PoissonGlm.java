package org.neurolake.model.neural;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.CholeskyDecomposition;
import org.apache.commons.math3.linear.NonPositiveDefiniteMatrixException;

/**
 * Poisson regression with a log link: {@code log rate_i = w . x_i + b}, fit by Newton's method
 * (iteratively reweighted least squares) with step halving.
 *
 * <p>The objective is scikit-learn's {@code PoissonRegressor(alpha = l2)} objective, the one NLB's
 * smoothing baseline uses: {@code (1/n) sum_i (exp(eta_i) - y_i eta_i) + (l2 / 2) |w|^2}, the mean
 * Poisson negative log-likelihood (up to the constant {@code log y!}) plus an L2 penalty on the
 * weights; the bias is not penalized. Features are centred internally (this changes only how the
 * bias is parameterized, not the optimum) so the Newton system is well conditioned.
 *
 * <p>Each iteration solves {@code H delta = g} (Cholesky) and halves the step until the objective
 * decreases by at least {@code 1e-4 * step * g.delta} (Armijo). It stops when half the Newton
 * decrement {@code g . H^-1 g / 2}, an estimate of the distance to the optimum in objective units,
 * is at most {@code tolerance}. It throws, naming the iteration and objective, when the step halving
 * fails, the Hessian is not positive definite (collinear features with {@code l2 = 0}), or it has
 * not converged after {@code maxIterations}.
 *
 * <p>With {@code hessianRows > 0} and more samples than that, the Hessian is summed over that many
 * evenly spaced rows instead of all of them (the gradient and objective always use all rows). The
 * iteration then converges linearly instead of quadratically, but to the same optimum, since its
 * stopping test and line search use the exact gradient and objective; each iteration costs
 * {@code O(hessianRows d^2 + n d)} instead of {@code O(n d^2)}.
 *
 * <p>A target that is zero everywhere has no finite optimum (the rate's maximum-likelihood value is
 * 0): its fit has zero weights and a bias of negative infinity, so it predicts rate 0.
 */
public final class PoissonGlm {
  private PoissonGlm() {}

  /** Predicted log-rates are capped here (rate 1e20 per bin, NLB's upper clip) so no prediction overflows. */
  public static final double MAX_LOG_RATE = Math.log(1e20);

  private static final int MAX_HALVINGS = 60;
  private static final double ARMIJO = 1e-4;

  /**
   * How to fit: L2 penalty on the weights (scikit-learn's alpha), stopping tolerance on half the
   * Newton decrement, iteration limit, and how many rows the Hessian is summed over (0: all).
   */
  public record Config(double l2, double tolerance, int maxIterations, int hessianRows) {
    public Config {
      if (!(l2 >= 0) || Double.isInfinite(l2)) {
        throw new IllegalArgumentException("l2 penalty must be finite and >= 0: " + l2);
      }
      if (!(tolerance > 0)) {
        throw new IllegalArgumentException("tolerance must be > 0: " + tolerance);
      }
      if (maxIterations < 1 || hessianRows < 0) {
        throw new IllegalArgumentException("maxIterations must be >= 1 and hessianRows >= 0; got " + maxIterations
            + ", " + hessianRows);
      }
    }

    /** l2 = 0.01, tolerance 1e-9, 100 iterations, Hessian over at most 20000 rows. */
    public static Config defaults() {
      return new Config(0.01, 1e-9, 100, 20_000);
    }

    public Config withL2(double value) {
      return new Config(value, tolerance, maxIterations, hessianRows);
    }
  }

  /** A fitted model: weights (one per feature), bias, and how the fit went. */
  public record Fit(double[] weights, double bias, int iterations, double objective) {
    public Fit {
      weights = weights.clone();
    }

    @Override
    public double[] weights() {
      return weights.clone();
    }

    /** Predicted rates (expected counts) for every row of {@code x}. */
    public double[] predict(RowMatrix x) {
      int d = weights.length;
      if (x.cols() != d) {
        throw new IllegalArgumentException("the model has " + d + " features, the matrix " + x.cols());
      }
      double[] v = x.data();
      double[] out = new double[x.rows()];
      for (int i = 0; i < out.length; i++) {
        double eta = bias;
        int off = i * d;
        for (int j = 0; j < d; j++) {
          eta += weights[j] * v[off + j];
        }
        out[i] = Math.exp(Math.min(eta, MAX_LOG_RATE));
      }
      return out;
    }
  }

  /** Fits {@code y} (non-negative counts, one per row of {@code x}). */
  public static Fit fit(RowMatrix x, double[] y, Config cfg) {
    int n = x.rows();
    int d = x.cols();
    if (y.length != n) {
      throw new IllegalArgumentException("the design has " + n + " rows but there are " + y.length + " targets");
    }
    if (n == 0) {
      throw new IllegalArgumentException("cannot fit a Poisson GLM to zero samples");
    }
    double ySum = 0;
    for (int i = 0; i < n; i++) {
      if (!(y[i] >= 0) || Double.isInfinite(y[i])) {
        throw new IllegalArgumentException("target " + i + " is " + y[i] + ", not a finite count >= 0");
      }
      ySum += y[i];
    }
    if (ySum == 0) {
      return new Fit(new double[d], Double.NEGATIVE_INFINITY, 0, 0.0);
    }
    return new Newton(x, y, cfg).run(Math.log(ySum / n));
  }

  /**
   * Fits each target against the same design, on {@code threads} threads. The results are in the
   * order of {@code targets} and do not depend on the number of threads.
   */
  public static List<Fit> fitAll(RowMatrix x, List<double[]> targets, Config cfg, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    List<Fit> out = new ArrayList<>(targets.size());
    if (threads == 1 || targets.size() < 2) {
      for (double[] y : targets) {
        out.add(fit(x, y, cfg));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, targets.size()));
    try {
      List<Future<Fit>> futures = new ArrayList<>(targets.size());
      for (double[] y : targets) {
        futures.add(pool.submit(() -> fit(x, y, cfg)));
      }
      for (int i = 0; i < futures.size(); i++) {
        try {
          out.add(futures.get(i).get());
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException("Poisson GLM fit of target " + i + " failed", cause);
        }
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fitting Poisson GLMs", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One Newton fit; parameters are the weights then the intercept of the centred features. */
  private static final class Newton {
    private final double[] x;
    private final double[] y;
    private final int n;
    private final int d;
    private final Config cfg;
    private final double[] mean;
    private final int[] hessianRows;

    Newton(RowMatrix design, double[] y, Config cfg) {
      this.x = design.data();
      this.y = y;
      this.n = design.rows();
      this.d = design.cols();
      this.cfg = cfg;
      this.mean = new double[d];
      for (int i = 0; i < n; i++) {
        int off = i * d;
        for (int j = 0; j < d; j++) {
          mean[j] += x[off + j];
        }
      }
      for (int j = 0; j < d; j++) {
        mean[j] /= n;
      }
      int m = cfg.hessianRows() > 0 && cfg.hessianRows() < n ? cfg.hessianRows() : n;
      this.hessianRows = new int[m];
      for (int k = 0; k < m; k++) {
        hessianRows[k] = (int) ((long) k * n / m);
      }
    }

    Fit run(double intercept) {
      double[] theta = new double[d + 1];
      theta[d] = intercept;
      double[] eta = new double[n];
      linear(theta, eta);
      double f = objective(eta, theta, null, 0);
      double[] mu = new double[n];
      double[] step = new double[n];
      double[] trial = new double[n];
      for (int iter = 1; iter <= cfg.maxIterations(); iter++) {
        for (int i = 0; i < n; i++) {
          mu[i] = Math.exp(eta[i]);
        }
        double[] g = gradient(mu, theta);
        double[] delta = solve(hessian(mu), g, iter, f);
        double dec = 0;
        for (int j = 0; j <= d; j++) {
          dec += g[j] * delta[j];
        }
        if (!(dec >= 0) || Double.isInfinite(dec)) {
          throw new IllegalStateException("Poisson GLM diverged at iteration " + iter + ": Newton decrement " + dec
              + " (objective " + f + ")");
        }
        if (dec / 2 <= cfg.tolerance()) {
          return result(theta, iter - 1, f);
        }
        linear(delta, step);
        double t = 1;
        boolean accepted = false;
        for (int h = 0; h < MAX_HALVINGS && !accepted; h++) {
          for (int i = 0; i < n; i++) {
            trial[i] = eta[i] - t * step[i];
          }
          double fNew = objective(trial, theta, delta, t);
          if (Double.isFinite(fNew) && fNew <= f - ARMIJO * t * dec) {
            for (int j = 0; j <= d; j++) {
              theta[j] -= t * delta[j];
            }
            System.arraycopy(trial, 0, eta, 0, n);
            f = fNew;
            accepted = true;
          } else {
            t /= 2;
          }
        }
        if (!accepted) {
          throw new IllegalStateException("Poisson GLM diverged at iteration " + iter + ": " + MAX_HALVINGS
              + " step halvings did not decrease the objective " + f + " (Newton decrement " + dec + ")");
        }
      }
      throw new IllegalStateException("Poisson GLM did not converge in " + cfg.maxIterations()
          + " iterations (objective " + f + "); raise maxIterations or the tolerance " + cfg.tolerance());
    }

    /** out_i = (x_i - mean) . p[0..d) + p[d]. */
    private void linear(double[] p, double[] out) {
      double shift = p[d];
      for (int j = 0; j < d; j++) {
        shift -= mean[j] * p[j];
      }
      for (int i = 0; i < n; i++) {
        double s = shift;
        int off = i * d;
        for (int j = 0; j < d; j++) {
          s += x[off + j] * p[j];
        }
        out[i] = s;
      }
    }

    /** The objective at linear predictor {@code eta}, with weights {@code theta - t * delta}. */
    private double objective(double[] eta, double[] theta, double[] delta, double t) {
      double nll = 0;
      for (int i = 0; i < n; i++) {
        nll += Math.exp(eta[i]) - y[i] * eta[i];
      }
      double sq = 0;
      for (int j = 0; j < d; j++) {
        double w = delta == null ? theta[j] : theta[j] - t * delta[j];
        sq += w * w;
      }
      return nll / n + 0.5 * cfg.l2() * sq;
    }

    private double[] gradient(double[] mu, double[] theta) {
      double[] g = new double[d + 1];
      double rSum = 0;
      for (int i = 0; i < n; i++) {
        double r = mu[i] - y[i];
        rSum += r;
        int off = i * d;
        for (int j = 0; j < d; j++) {
          g[j] += r * x[off + j];
        }
      }
      for (int j = 0; j < d; j++) {
        g[j] = (g[j] - mean[j] * rSum) / n + cfg.l2() * theta[j];
      }
      g[d] = rSum / n;
      return g;
    }

    /** Upper triangle summed, then mirrored; row-major (d+1) x (d+1). */
    private double[] hessian(double[] mu) {
      int p = d + 1;
      double[] h = new double[p * p];
      double[] z = new double[p];
      z[d] = 1;
      for (int i : hessianRows) {
        double wi = mu[i];
        int off = i * d;
        for (int j = 0; j < d; j++) {
          z[j] = x[off + j] - mean[j];
        }
        for (int a = 0; a < p; a++) {
          double s = wi * z[a];
          int row = a * p;
          for (int b = a; b < p; b++) {
            h[row + b] += s * z[b];
          }
        }
      }
      double scale = 1.0 / hessianRows.length;
      for (int a = 0; a < p; a++) {
        for (int b = a; b < p; b++) {
          double v = h[a * p + b] * scale + (a == b && a < d ? cfg.l2() : 0);
          h[a * p + b] = v;
          h[b * p + a] = v;
        }
      }
      return h;
    }

    private double[] solve(double[] h, double[] g, int iter, double f) {
      int p = d + 1;
      double[][] m = new double[p][p];
      for (int a = 0; a < p; a++) {
        System.arraycopy(h, a * p, m[a], 0, p);
      }
      try {
        return new CholeskyDecomposition(new Array2DRowRealMatrix(m, false), 1e-10, 1e-300).getSolver()
            .solve(new ArrayRealVector(g, false)).toArray();
      } catch (NonPositiveDefiniteMatrixException e) {
        throw new IllegalStateException("Poisson GLM: the Hessian is not positive definite at iteration " + iter
            + " (objective " + f + "); the features are collinear or constant, use an l2 penalty > 0", e);
      }
    }

    private Fit result(double[] theta, int iterations, double f) {
      double[] w = new double[d];
      double b = theta[d];
      for (int j = 0; j < d; j++) {
        w[j] = theta[j];
        b -= mean[j] * theta[j];
      }
      return new Fit(w, b, iterations, f);
    }
  }
}
