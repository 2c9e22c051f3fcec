package org.neurolake.model.neural;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.inverse.InvertMatrix;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Forward prediction (NLB fp-bps) for models that only describe the bins they see, as the smoothing
 * and linear latent baselines: ridge regression, fit on the training trials, from a model's rates
 * of every neuron over the last {@code lagBins} observed bins of a trial (the features, standardized
 * with the training trials' mean and standard deviation) to the counts of every neuron in each
 * forward bin (one output per (forward bin, neuron)). The intercepts are the outputs' training
 * means, or, pooled, each neuron's training mean over all forward bins (fewer estimates: with few
 * training trials the per-bin means are mostly noise). The penalty is {@code l2 * n} times the
 * squared weights, n the training trials (the intercept is not penalized). A linear prediction can
 * fall to 0 or below; rates are floored at {@code minRateFraction} times the output's intercept. The
 * lag, the penalty and the intercept kind are chosen on the validation trials by their fp-bps.
 * Matrix work goes through ND4J, in double precision.
 */
public final class ForwardPrediction {
  private ForwardPrediction() {}

  /**
   * @param lagGrid observed bins fed to the regression, tried in turn (those longer than the observed window are skipped)
   * @param l2Grid ridge penalties tried in turn
   * @param minRateFraction the rate floor as a fraction of each output's training mean count, in (0, 1]
   */
  public record Config(int[] lagGrid, double[] l2Grid, double minRateFraction) {
    public Config {
      lagGrid = lagGrid.clone();
      l2Grid = l2Grid.clone();
      if (lagGrid.length == 0 || l2Grid.length == 0) {
        throw new IllegalArgumentException("forward prediction needs a lag grid and an l2 grid");
      }
      for (int lag : lagGrid) {
        if (lag < 1) {
          throw new IllegalArgumentException("forward-prediction lags must be >= 1: " + Arrays.toString(lagGrid));
        }
      }
      for (double l2 : l2Grid) {
        if (!(l2 > 0) || Double.isInfinite(l2)) {
          throw new IllegalArgumentException("forward-prediction penalties must be > 0 and finite: "
              + Arrays.toString(l2Grid));
        }
      }
      if (!(minRateFraction > 0 && minRateFraction <= 1)) {
        throw new IllegalArgumentException("minRateFraction must be in (0, 1]: " + minRateFraction);
      }
    }

    /** Lags 1, 2, 4 bins; penalties 0.01 to 100 by factors of 10; floor at 1% of the mean count. */
    public static Config defaults() {
      return new Config(new int[] {1, 2, 4}, new double[] {0.01, 0.1, 1, 10, 100}, 0.01);
    }

    @Override
    public int[] lagGrid() {
      return lagGrid.clone();
    }

    @Override
    public double[] l2Grid() {
      return l2Grid.clone();
    }
  }

  /** A fitted predictor: the chosen lag and penalty with their validation fp-bps, and the regression. */
  public static final class Model {
    private final int lagBins;
    private final double l2;
    private final boolean pooledMean;
    private final double validBitsPerSpike;
    private final Fit fit;

    private Model(int lagBins, double l2, boolean pooledMean, double validBitsPerSpike, Fit fit) {
      this.lagBins = lagBins;
      this.l2 = l2;
      this.pooledMean = pooledMean;
      this.validBitsPerSpike = validBitsPerSpike;
      this.fit = fit;
    }

    public int lagBins() {
      return lagBins;
    }

    public double l2() {
      return l2;
    }

    /** True when the intercepts are each neuron's mean over the forward bins, not each bin's. */
    public boolean pooledMean() {
      return pooledMean;
    }

    public double validBitsPerSpike() {
      return validBitsPerSpike;
    }

    /** Forward rates [trials, forward bins, neurons] from a model's rates on the observed bins. */
    public Rates predict(Rates observed) {
      return fit.predict(observed);
    }

    /** {@code fp_lag_bins}, {@code fp_l2}, {@code fp_pooled_mean} (1 or 0) and {@code fp_valid_bps}. */
    public Map<String, Double> hyperparameters() {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("fp_lag_bins", (double) lagBins);
      m.put("fp_l2", l2);
      m.put("fp_pooled_mean", pooledMean ? 1.0 : 0.0);
      m.put("fp_valid_bps", validBitsPerSpike);
      return m;
    }
  }

  /**
   * Fits on the training trials and chooses lag and penalty on the validation trials.
   *
   * @param trainRates a model's rates of every neuron on the training trials' observed bins
   * @param trainForward the training trials' counts of every neuron on the forward bins
   * @param validRates, validForward the same for the validation trials
   */
  public static Model fit(Config cfg, Rates trainRates, SpikeCounts trainForward, Rates validRates,
      SpikeCounts validForward) {
    Objects.requireNonNull(cfg, "cfg");
    requirePair("training", trainRates, trainForward);
    requirePair("validation", validRates, validForward);
    if (validRates.bins() != trainRates.bins() || validForward.bins() != trainForward.bins()
        || validForward.neurons() != trainForward.neurons()) {
      throw new IllegalArgumentException("training " + trainRates + " / " + trainForward + " and validation "
          + validRates + " / " + validForward + " differ in shape");
    }
    Model best = null;
    List<String> tried = new ArrayList<>();
    for (int lag : cfg.lagGrid()) {
      if (lag > trainRates.bins()) {
        continue;
      }
      for (double l2 : cfg.l2Grid()) {
        for (boolean pooled : new boolean[] {false, true}) {
          Fit f = Fit.of(lag, l2, pooled, cfg.minRateFraction(), trainRates, trainForward);
          double bps = PoissonMetrics.bitsPerSpike(f.predict(validRates), validForward);
          tried.add(lag + "/" + l2 + (pooled ? "/pooled" : "") + ": " + bps);
          if (Double.isFinite(bps) && (best == null || bps > best.validBitsPerSpike)) {
            best = new Model(lag, l2, pooled, bps, f);
          }
        }
      }
    }
    if (best == null) {
      throw new IllegalArgumentException("no forward predictor with a finite validation fp-bps over "
          + trainRates.bins() + " observed bins (lag/l2: bps): " + tried);
    }
    return best;
  }

  private static void requirePair(String what, Rates rates, SpikeCounts forward) {
    if (rates.trials() != forward.trials() || rates.trials() < 1) {
      throw new IllegalArgumentException(what + " rates " + rates + " and forward counts " + forward
          + " need the same trials, at least one");
    }
    if (forward.neurons() < 1 || forward.bins() < 1) {
      throw new IllegalArgumentException(what + " forward counts are empty: " + forward);
    }
  }

  /** One ridge regression: features' mean and scale, targets' mean, weights [features, outputs]. */
  private record Fit(int lag, double minRateFraction, INDArray xMean, INDArray xScale, INDArray yMean, INDArray w,
      int forwardBins, int neurons) {
    static Fit of(int lag, double l2, boolean pooled, double minRateFraction, Rates rates, SpikeCounts forward) {
      INDArray x = features(rates, lag);
      INDArray y = Nd4j.create(forward.counts(), new long[] {forward.trials(), (long) forward.bins() * forward.neurons()},
          'c');
      int n = (int) x.rows();
      INDArray xMean = x.mean(0);
      INDArray xScale = x.std(false, 0);
      // Constant features (a neuron silent over the lag in every training trial) keep scale 1.
      INDArray constant = xScale.lte(1e-12).castTo(DataType.DOUBLE);
      xScale.addi(constant);
      INDArray xs = x.subRowVector(xMean).diviRowVector(xScale);
      INDArray yMean = y.mean(0);
      if (pooled) {
        INDArray perNeuron = yMean.reshape(forward.bins(), forward.neurons()).mean(0);
        yMean = Nd4j.tile(perNeuron.reshape(1, forward.neurons()), 1, forward.bins()).reshape(y.columns());
      }
      INDArray yc = y.subRowVector(yMean);
      INDArray gram = xs.transpose().mmul(xs).addi(Nd4j.eye(xs.columns()).castTo(DataType.DOUBLE).muli(l2 * n));
      INDArray w = InvertMatrix.invert(gram, false).mmul(xs.transpose().mmul(yc));
      return new Fit(lag, minRateFraction, xMean, xScale, yMean, w, forward.bins(), forward.neurons());
    }

    Rates predict(Rates observed) {
      if (observed.neurons() * lag != xMean.columns() || observed.bins() < lag) {
        throw new IllegalArgumentException("forward predictor over " + lag + " bins of " + xMean.columns() / lag
            + " neurons cannot take " + observed);
      }
      INDArray xs = features(observed, lag).subiRowVector(xMean).diviRowVector(xScale);
      INDArray y = xs.mmul(w).addiRowVector(yMean);
      INDArray floor = yMean.mul(minRateFraction);
      double[] out = Transforms.max(y, floor.broadcast(y.rows(), y.columns()), false).dup('c').data().asDouble();
      return new Rates(observed.trials(), forwardBins, neurons, observed.binMs(), out);
    }

    /** [trials, lag * neurons]: each trial's rates over its last {@code lag} bins, time-major. */
    private static INDArray features(Rates rates, int lag) {
      double[] last = rates.bins(rates.bins() - lag, rates.bins()).perBin();
      return Nd4j.create(last, new long[] {rates.trials(), (long) lag * rates.neurons()}, 'c');
    }
  }
}
