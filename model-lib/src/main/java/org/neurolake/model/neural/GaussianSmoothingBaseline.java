package org.neurolake.model.neural;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The spike-smoothing baseline: each neuron's counts smoothed in time with an edge-normalized
 * Gaussian kernel ({@link GaussianKernel}), its width chosen on validation trials from a grid.
 *
 * <ul>
 *   <li>Observed neurons ({@link #chooseObserved}): the smoothed counts are the rate estimate of
 *       the neurons themselves. Nothing is fit; the width is chosen by mean R^2 against the true
 *       rates when the caller has them ({@link SelectionCriterion#TRUE_RATE_R2}, the baseline's
 *       best possible width), otherwise by leave-one-bin-out bits per spike
 *       ({@link SelectionCriterion#LEAVE_ONE_BIN_OUT_BPS}): every bin's rate is smoothed from the
 *       other bins of its trial, so a narrow kernel cannot score by copying the count it predicts.
 *   <li>Held-out neurons ({@link #fitHeldOut}), NLB's smoothing baseline: the held-in neurons are
 *       smoothed, transformed (NLB: {@code log(x + 1e-4)}) and fed to one Poisson GLM per held-out
 *       neuron, fit on the training trials; width and L2 penalty are chosen by the held-out
 *       neurons' bits per spike on the validation trials. Each grid point's GLMs start from the
 *       previous point's fits (warm starts change the time taken, not the fits beyond the GLM
 *       tolerance). The GLMs are fit on the training trials only (NLB's test phase refits on
 *       training plus validation trials; callers wanting that pass the union as {@code train}).
 * </ul>
 *
 * <p>Smoothed counts of observed neurons contain the very count they estimate; their bits per
 * spike on the same counts is therefore inflated (it can exceed the true rates') and is no score.
 * Score them by R^2 against true rates, or by {@link GaussianKernel#smoothLeavingOneOut}.
 */
public final class GaussianSmoothingBaseline {
  private GaussianSmoothingBaseline() {}

  /**
   * The search grid (kernel widths in bins, GLM L2 penalties), the feature transform of the
   * held-out GLMs, their fit settings (whose own l2 is replaced by each grid value) and the threads
   * the GLMs are fit on.
   */
  public record Config(double[] sigmaGridBins, double[] l2Grid, FeatureTransform transform, PoissonGlm.Config glm,
      int threads) {
    public Config {
      if (transform == null || glm == null || threads < 1) {
        throw new IllegalArgumentException("need a feature transform, GLM settings and threads >= 1");
      }
      sigmaGridBins = sigmaGridBins.clone();
      l2Grid = l2Grid.clone();
      if (sigmaGridBins.length == 0 || l2Grid.length == 0) {
        throw new IllegalArgumentException("the sigma and l2 grids must not be empty");
      }
      for (double s : sigmaGridBins) {
        new GaussianKernel(s); // validates
      }
      for (double l : l2Grid) {
        glm.withL2(l); // validates
      }
    }

    /**
     * Widths 0.5..32 bins (5..320 ms at 10 ms bins, well around NLB's 30..60 ms kernels, so a choice
     * at either end says the grid is too narrow for the data; the chaotic-RNN set's slow rates chose
     * the former top, 16 bins), one L2 penalty
     * (0.01, within the 0.001..0.1 NLB's baseline uses per data set; give a wider grid with
     * {@link #withL2Grid}, at one search point per width and penalty), NLB's log features, default
     * GLM settings, one thread.
     */
    public static Config defaults() {
      return new Config(new double[] {0.5, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32}, new double[] {0.01}, FeatureTransform.LOG,
          PoissonGlm.Config.defaults(), 1);
    }

    public Config withSigmaGrid(double... sigmas) {
      return new Config(sigmas, l2Grid, transform, glm, threads);
    }

    public Config withL2Grid(double... l2s) {
      return new Config(sigmaGridBins, l2s, transform, glm, threads);
    }

    public Config withThreads(int n) {
      return new Config(sigmaGridBins, l2Grid, transform, glm, n);
    }

    @Override
    public double[] sigmaGridBins() {
      return sigmaGridBins.clone();
    }

    @Override
    public double[] l2Grid() {
      return l2Grid.clone();
    }
  }

  /** The width chosen for observed neurons, with its validation score and the whole search. */
  public record ObservedChoice(double sigmaBins, SelectionCriterion criterion, double validationScore,
      List<GridScore> grid) {
    public ObservedChoice {
      grid = List.copyOf(grid);
    }

    /** The smoothed counts: rates of the same neurons, in expected spikes per bin. */
    public Rates predict(SpikeCounts counts) {
      return new GaussianKernel(sigmaBins).smooth(counts);
    }

    public Map<String, Double> hyperparameters() {
      return Map.of("sigma_bins", sigmaBins);
    }
  }

  /** Chooses the width by leave-one-bin-out bits per spike of the validation trials (every width must be > 0). */
  public static ObservedChoice chooseObserved(Config cfg, SpikeCounts valid) {
    return chooseObserved(cfg, valid, null);
  }

  /**
   * Chooses the width by mean R^2 of the smoothed validation counts against {@code validTruth}
   * (same shape), or, when it is null, by leave-one-bin-out bits per spike.
   */
  public static ObservedChoice chooseObserved(Config cfg, SpikeCounts valid, Rates validTruth) {
    if (validTruth != null && !validTruth.sameShape(valid)) {
      throw new IllegalArgumentException("true rates " + validTruth + " do not match the validation " + valid);
    }
    SelectionCriterion criterion = validTruth != null ? SelectionCriterion.TRUE_RATE_R2
        : SelectionCriterion.LEAVE_ONE_BIN_OUT_BPS;
    List<GridScore> grid = new ArrayList<>();
    double bestSigma = Double.NaN;
    double best = Double.NEGATIVE_INFINITY;
    for (double sigma : cfg.sigmaGridBins) {
      GaussianKernel kernel = new GaussianKernel(sigma);
      double score = validTruth != null ? RateR2.meanOverNeurons(kernel.smooth(valid), validTruth)
          : PoissonMetrics.bitsPerSpike(kernel.smoothLeavingOneOut(valid), valid);
      grid.add(new GridScore(Map.of("sigma_bins", sigma), score));
      if (score > best) {
        best = score;
        bestSigma = sigma;
      }
    }
    return new ObservedChoice(bestSigma, criterion, best, grid);
  }

  /**
   * The held-out model: chosen width and penalty, one GLM readout per held-out neuron (in
   * {@code split.heldOut()} order), validation bits per spike and the whole search.
   */
  public record HeldOutModel(NeuronSplit split, double sigmaBins, double l2, FeatureTransform transform,
      List<PoissonGlm.Fit> readouts, double validationScore, List<GridScore> grid) {
    public HeldOutModel {
      readouts = List.copyOf(readouts);
      grid = List.copyOf(grid);
      if (readouts.size() != split.heldOut().length) {
        throw new IllegalArgumentException(readouts.size() + " readouts for " + split.heldOut().length
            + " held-out neurons");
      }
    }

    public SelectionCriterion criterion() {
      return SelectionCriterion.HELD_OUT_CO_BPS;
    }

    public Map<String, Double> hyperparameters() {
      return Map.of("sigma_bins", sigmaBins, "l2", l2);
    }

    /**
     * Rates of all {@code split.nNeurons()} neurons, in their original order, from the held-in
     * neurons' counts only ({@code heldInCounts} has exactly the held-in neurons, in
     * {@code split.heldIn()} order): held-in rates are the smoothed counts (as NLB's baseline
     * reports them), held-out rates the GLM predictions.
     */
    public Rates predict(SpikeCounts heldInCounts) {
      int[] in = split.heldIn();
      int[] out = split.heldOut();
      if (heldInCounts.neurons() != in.length) {
        throw new IllegalArgumentException("expected the " + in.length + " held-in neurons, got " + heldInCounts);
      }
      Rates smoothed = new GaussianKernel(sigmaBins).smooth(heldInCounts);
      RowMatrix x = transform.features(smoothed);
      double[][] series = new double[split.nNeurons()][];
      for (int j = 0; j < in.length; j++) {
        series[in[j]] = smoothed.series(j);
      }
      for (int j = 0; j < out.length; j++) {
        series[out[j]] = readouts.get(j).predict(x);
      }
      return Rates.fromSeries(heldInCounts.trials(), heldInCounts.bins(), heldInCounts.binMs(), series);
    }
  }

  /**
   * Fits the held-out GLMs on {@code train} for every (width, penalty) of the grid and keeps the
   * pair with the best held-out bits per spike on {@code valid}. Both hold all
   * {@code split.nNeurons()} neurons; the split must hold out at least one neuron.
   */
  public static HeldOutModel fitHeldOut(Config cfg, SpikeCounts train, SpikeCounts valid, NeuronSplit split) {
    Baselines.requireMatching(train, valid, split);
    int[] in = split.heldIn();
    int[] out = split.heldOut();
    if (out.length == 0) {
      throw new IllegalArgumentException("the held-out smoothing baseline needs held-out neurons; " + split);
    }
    SpikeCounts trainIn = train.neurons(in);
    SpikeCounts validIn = valid.neurons(in);
    SpikeCounts validOut = valid.neurons(out);
    List<double[]> targets = new ArrayList<>(out.length);
    for (int n : out) {
      targets.add(train.series(n));
    }
    List<GridScore> grid = new ArrayList<>();
    HeldOutModel best = null;
    List<PoissonGlm.Fit> previous = null; // warm starts: the optimum does not depend on them, the time does
    for (double sigma : cfg.sigmaGridBins) {
      GaussianKernel kernel = new GaussianKernel(sigma);
      RowMatrix xTrain = cfg.transform().features(kernel.smooth(trainIn));
      RowMatrix xValid = cfg.transform().features(kernel.smooth(validIn));
      for (double l2 : cfg.l2Grid) {
        List<PoissonGlm.Fit> fits = PoissonGlm.fitAll(xTrain, targets, cfg.glm().withL2(l2), cfg.threads(),
            previous);
        previous = fits;
        double score = PoissonMetrics.bitsPerSpike(Baselines.predict(fits, xValid, valid), validOut);
        grid.add(new GridScore(Map.of("sigma_bins", sigma, "l2", l2), score));
        if (best == null || score > best.validationScore()) {
          best = new HeldOutModel(split, sigma, l2, cfg.transform(), fits, score, List.of());
        }
      }
    }
    return new HeldOutModel(split, best.sigmaBins(), best.l2(), cfg.transform(), best.readouts(),
        best.validationScore(), grid);
  }
}
