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
 * <p>With {@code hessianRows > 0} and more samples than that, the Hessian is first summed over
 * that many evenly spaced rows instead of all of them (the gradient, objective, line search and
 * stopping test always use all rows, so the optimum is the same). Each such iteration costs
 * {@code O(hessianRows d^2 + n d)} instead of {@code O(n d^2)}. When the subsample slows
 * convergence (an undamped step that fails to cut the Newton decrement fourfold) or its line search
 * fails, the fit switches to the exact Hessian.
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

  /** Fits {@code y} (non-negative counts, one per row of {@code x}), from zero weights. */
  public static Fit fit(RowMatrix x, double[] y, Config cfg) {
    return fit(x, y, cfg, null);
  }

  /**
   * Fits {@code y} starting from {@code start} (null: zero weights and the log of the mean count),
   * e.g. the fit of a neighbouring penalty; the optimum does not depend on the start.
   */
  public static Fit fit(RowMatrix x, double[] y, Config cfg, Fit start) {
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
    Newton newton = new Newton(x, y, cfg);
    double[] cold = newton.start(Math.log(ySum / n), null);
    if (start == null) {
      return newton.run(cold);
    }
    // A start from another design or penalty can be worse than the cold start, even overflow: take the better.
    double[] warm = newton.start(Math.log(ySum / n), start);
    double fWarm = newton.objectiveAt(warm);
    return newton.run(Double.isFinite(fWarm) && fWarm < newton.objectiveAt(cold) ? warm : cold);
  }

  /**
   * Fits each target against the same design, on {@code threads} threads. The results are in the
   * order of {@code targets} and do not depend on the number of threads.
   */
  public static List<Fit> fitAll(RowMatrix x, List<double[]> targets, Config cfg, int threads) {
    return fitAll(x, targets, cfg, threads, null);
  }

  /**
   * As {@link #fitAll(RowMatrix, List, Config, int)}, target i starting from {@code starts.get(i)}
   * ({@code starts} may be null): the fits agree with cold-started ones to within the tolerance.
   */
  public static List<Fit> fitAll(RowMatrix x, List<double[]> targets, Config cfg, int threads, List<Fit> starts) {
    if (starts != null && starts.size() != targets.size()) {
      throw new IllegalArgumentException(starts.size() + " starting fits for " + targets.size() + " targets");
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1: " + threads);
    }
    List<Fit> out = new ArrayList<>(targets.size());
    if (threads == 1 || targets.size() < 2) {
      for (int i = 0; i < targets.size(); i++) {
        out.add(fit(x, targets.get(i), cfg, starts == null ? null : starts.get(i)));
      }
      return out;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, targets.size()));
    try {
      List<Future<Fit>> futures = new ArrayList<>(targets.size());
      for (int i = 0; i < targets.size(); i++) {
        double[] y = targets.get(i);
        Fit start = starts == null ? null : starts.get(i);
        futures.add(pool.submit(() -> fit(x, y, cfg, start)));
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
    /** Evenly spaced rows for the subsampled Hessian; null when it is summed over all rows. */
    private final int[] sampleRows;

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
      if (cfg.hessianRows() > 0 && cfg.hessianRows() < n) {
        int m = cfg.hessianRows();
        this.sampleRows = new int[m];
        for (int k = 0; k < m; k++) {
          sampleRows[k] = (int) ((long) k * n / m);
        }
      } else {
        this.sampleRows = null;
      }
    }

    /**
     * Newton from {@code theta} (weights, then the intercept of the centred features). The
     * subsampled Hessian, if any, is dropped for the exact one when its line search fails, or when
     * an iteration after a full (undamped) step fails to cut the Newton decrement fourfold, i.e.
     * when the local phase converges slowly: from then on convergence is quadratic whatever the
     * subsample missed. (Damped early iterations cut the decrement slowly even with the exact
     * Hessian, so they do not count.)
     */
    Fit run(double[] theta) {
      double[] eta = new double[n];
      double[] mu = new double[n]; // exp(eta), kept from the objective: exp is much of an iteration's cost
      linear(theta, eta);
      double f = objective(eta, mu, theta, null, 0);
      if (!Double.isFinite(f)) {
        throw new IllegalStateException("Poisson GLM: the objective is " + f + " at the starting point");
      }
      double[] step = new double[n];
      double[] trial = new double[n];
      double[] trialMu = new double[n];
      int[] rows = sampleRows;
      double previousDec = Double.POSITIVE_INFINITY;
      boolean previousFullStep = false;
      for (int iter = 1; iter <= cfg.maxIterations(); iter++) {
        double[] g = gradient(mu, theta);
        double[] delta = solve(hessian(mu, rows), g, iter, f);
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
        if (rows != null && previousFullStep && dec > 0.25 * previousDec) {
          rows = null;
          iter--;
          previousDec = Double.POSITIVE_INFINITY;
          continue; // the same point again, with the exact Hessian
        }
        linear(delta, step);
        double t = 1;
        boolean accepted = false;
        for (int h = 0; h < MAX_HALVINGS && !accepted; h++) {
          for (int i = 0; i < n; i++) {
            trial[i] = eta[i] - t * step[i];
          }
          double fNew = objective(trial, trialMu, theta, delta, t);
          if (Double.isFinite(fNew) && fNew <= f - ARMIJO * t * dec) {
            for (int j = 0; j <= d; j++) {
              theta[j] -= t * delta[j];
            }
            double[] swap = eta;
            eta = trial;
            trial = swap;
            swap = mu;
            mu = trialMu;
            trialMu = swap;
            f = fNew;
            accepted = true;
          } else {
            t /= 2;
          }
        }
        if (!accepted && rows != null) {
          rows = null;
          iter--;
          previousDec = Double.POSITIVE_INFINITY;
          continue;
        }
        if (!accepted) {
          throw new IllegalStateException("Poisson GLM diverged at iteration " + iter + ": " + MAX_HALVINGS
              + " step halvings did not decrease the objective " + f + " (Newton decrement " + dec + ")");
        }
        previousDec = dec;
        previousFullStep = t == 1;
      }
      throw new IllegalStateException("Poisson GLM did not converge in " + cfg.maxIterations()
          + " iterations (objective " + f + "); raise maxIterations or the tolerance " + cfg.tolerance());
    }

    double objectiveAt(double[] theta) {
      double[] eta = new double[n];
      linear(theta, eta);
      return objective(eta, new double[n], theta, null, 0);
    }

    /** The starting point: zero weights and the log mean count, or a previous fit's parameters. */
    double[] start(double logMean, Fit from) {
      double[] theta = new double[d + 1];
      if (from == null || !Double.isFinite(from.bias())) {
        theta[d] = logMean;
        return theta;
      }
      if (from.weights.length != d) {
        throw new IllegalArgumentException("the starting fit has " + from.weights.length + " weights, the design "
            + d + " features");
      }
      theta[d] = from.bias();
      for (int j = 0; j < d; j++) {
        theta[j] = from.weights[j];
        theta[d] += mean[j] * from.weights[j];
      }
      return theta;
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

    /** The objective at linear predictor {@code eta}, with weights {@code theta - t * delta}; exp(eta) into expOut. */
    private double objective(double[] eta, double[] expOut, double[] theta, double[] delta, double t) {
      double nll = 0;
      for (int i = 0; i < n; i++) {
        double e = Math.exp(eta[i]);
        expOut[i] = e;
        nll += e - y[i] * eta[i];
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

    /**
     * The Hessian over {@code rows} (null: all rows), row-major (d+1) x (d+1). The upper triangle
     * is summed four rows at a time, so each pass over it does four rank-one updates (the
     * triangle, not the arithmetic, is the bottleneck), then mirrored.
     */
    private double[] hessian(double[] mu, int[] rows) {
      int p = d + 1;
      int count = rows == null ? n : rows.length;
      double[] h = new double[p * p];
      double[][] z = new double[4][p];
      double[] w = new double[4];
      for (int start = 0; start < count; start += 4) {
        int block = Math.min(4, count - start);
        for (int k = 0; k < 4; k++) {
          if (k < block) {
            int i = rows == null ? start + k : rows[start + k];
            int off = i * d;
            for (int j = 0; j < d; j++) {
              z[k][j] = x[off + j] - mean[j];
            }
            z[k][d] = 1;
            w[k] = mu[i];
          } else {
            w[k] = 0; // a short last block: zero weight, stale values are harmless
          }
        }
        double[] z0 = z[0];
        double[] z1 = z[1];
        double[] z2 = z[2];
        double[] z3 = z[3];
        for (int a = 0; a < p; a++) {
          double s0 = w[0] * z0[a];
          double s1 = w[1] * z1[a];
          double s2 = w[2] * z2[a];
          double s3 = w[3] * z3[a];
          int row = a * p;
          for (int b = a; b < p; b++) {
            h[row + b] += s0 * z0[b] + s1 * z1[b] + s2 * z2[b] + s3 * z3[b];
          }
        }
      }
      double scale = 1.0 / count;
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
