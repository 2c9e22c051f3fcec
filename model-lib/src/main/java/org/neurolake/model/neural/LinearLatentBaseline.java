package org.neurolake.model.neural;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A linear latent-variable baseline: factor analysis ({@link FactorAnalysis}, EM) of the smoothed,
 * transformed (default: square-root) counts of the held-in neurons gives k latents per (trial,
 * bin), their posterior means; a Poisson GLM per neuron ({@link PoissonGlm}, latents plus bias)
 * maps them to the rates of every neuron, held-in and held-out. Factor analysis and GLMs are fit
 * on the training trials. The kernel width and k are chosen on the validation trials from a grid:
 * by mean R^2 against the true rates when the caller has them
 * ({@link SelectionCriterion#TRUE_RATE_R2}; the baseline's best possible setting), otherwise by
 * the held-out neurons' bits per spike ({@link SelectionCriterion#HELD_OUT_CO_BPS}).
 *
 * <p>This is the static part of GPFA (Yu et al. 2009) with a Poisson readout: the latents are
 * smooth only because their inputs were smoothed, there is no latent dynamics.
 */
public final class LinearLatentBaseline {
  private LinearLatentBaseline() {}

  /**
   * The search grid (kernel widths in bins, numbers of latents; values of k not below the number of
   * held-in neurons are skipped), the transform applied before factor analysis, the readouts' L2
   * penalty, the factor-analysis and GLM settings (the GLM's own l2 is replaced by {@code l2}) and
   * the threads the readouts are fit on.
   */
  public record Config(double[] sigmaGridBins, int[] latentGrid, FeatureTransform transform, double l2,
      FactorAnalysis.Config fa, PoissonGlm.Config glm, int threads) {
    public Config {
      if (transform == null || fa == null || glm == null || threads < 1) {
        throw new IllegalArgumentException("need a transform, factor-analysis and GLM settings and threads >= 1");
      }
      sigmaGridBins = sigmaGridBins.clone();
      latentGrid = latentGrid.clone();
      if (sigmaGridBins.length == 0 || latentGrid.length == 0) {
        throw new IllegalArgumentException("the sigma and latent grids must not be empty");
      }
      for (double s : sigmaGridBins) {
        new GaussianKernel(s); // validates
      }
      for (int k : latentGrid) {
        if (k < 1) {
          throw new IllegalArgumentException("numbers of latents must be >= 1: " + Arrays.toString(latentGrid));
        }
      }
      glm = glm.withL2(l2); // validates l2
    }

    /**
     * Widths 0.5..8 bins; 1..32 latents (wide enough that a choice at either end flags a grid too
     * narrow for the data); square root; readout l2 = 0.001; default FA and GLM; one thread.
     */
    public static Config defaults() {
      return new Config(new double[] {0.5, 1, 2, 4, 8}, new int[] {1, 2, 4, 6, 8, 12, 16, 24, 32},
          FeatureTransform.SQRT, 0.001,
          FactorAnalysis.Config.defaults(), PoissonGlm.Config.defaults(), 1);
    }

    public Config withSigmaGrid(double... sigmas) {
      return new Config(sigmas, latentGrid, transform, l2, fa, glm, threads);
    }

    public Config withLatentGrid(int... ks) {
      return new Config(sigmaGridBins, ks, transform, l2, fa, glm, threads);
    }

    public Config withThreads(int n) {
      return new Config(sigmaGridBins, latentGrid, transform, l2, fa, glm, n);
    }

    @Override
    public double[] sigmaGridBins() {
      return sigmaGridBins.clone();
    }

    @Override
    public int[] latentGrid() {
      return latentGrid.clone();
    }
  }

  /**
   * The fitted baseline: chosen width and number of latents, the factor model of the held-in
   * features, one readout per neuron (original neuron order), the criterion and validation score,
   * and the whole search.
   */
  public record Model(NeuronSplit split, double sigmaBins, int latents, FeatureTransform transform,
      FactorAnalysis.Model factors, List<PoissonGlm.Fit> readouts, SelectionCriterion criterion,
      double validationScore, List<GridScore> grid) {
    public Model {
      readouts = List.copyOf(readouts);
      grid = List.copyOf(grid);
      if (readouts.size() != split.nNeurons() || factors.latents() != latents) {
        throw new IllegalArgumentException("inconsistent latent baseline: " + readouts.size() + " readouts for "
            + split.nNeurons() + " neurons, " + factors.latents() + " factors for k = " + latents);
      }
    }

    public Map<String, Double> hyperparameters() {
      return Map.of("sigma_bins", sigmaBins, "latents", (double) latents);
    }

    /** The latents (posterior means) of every (trial, bin) of the held-in counts, trial-major rows. */
    public RowMatrix latents(SpikeCounts heldInCounts) {
      if (heldInCounts.neurons() != split.heldIn().length) {
        throw new IllegalArgumentException("expected the " + split.heldIn().length + " held-in neurons, got "
            + heldInCounts);
      }
      return factors.transform(transform.features(new GaussianKernel(sigmaBins).smooth(heldInCounts)));
    }

    /**
     * Rates of all {@code split.nNeurons()} neurons, in their original order, from the held-in
     * neurons' counts only ({@code heldInCounts} has exactly the held-in neurons, in
     * {@code split.heldIn()} order).
     */
    public Rates predict(SpikeCounts heldInCounts) {
      return Baselines.predict(readouts, latents(heldInCounts), heldInCounts);
    }
  }

  /**
   * Fits the baseline on {@code train} for every (width, k) of the grid and keeps the best on
   * {@code valid}. Both hold all {@code split.nNeurons()} neurons. With {@code validTruth} (true
   * rates of all neurons on the validation trials) the criterion is mean R^2 over all neurons;
   * without it, held-out bits per spike, and the split must hold out at least one neuron.
   */
  public static Model fit(Config cfg, SpikeCounts train, SpikeCounts valid, NeuronSplit split, Rates validTruth) {
    Baselines.requireMatching(train, valid, split);
    if (validTruth != null && !validTruth.sameShape(valid)) {
      throw new IllegalArgumentException("true rates " + validTruth + " do not match the validation " + valid);
    }
    int[] in = split.heldIn();
    int[] out = split.heldOut();
    if (validTruth == null && out.length == 0) {
      throw new IllegalArgumentException("without true rates the latent baseline is chosen by held-out bits per"
          + " spike, which needs held-out neurons; " + split);
    }
    int[] ks = Arrays.stream(cfg.latentGrid).filter(k -> k < in.length).toArray();
    if (ks.length == 0) {
      throw new IllegalArgumentException("every number of latents in " + Arrays.toString(cfg.latentGrid)
          + " is >= the " + in.length + " held-in neurons");
    }
    SelectionCriterion criterion = validTruth != null ? SelectionCriterion.TRUE_RATE_R2
        : SelectionCriterion.HELD_OUT_CO_BPS;
    // The neurons whose readouts the search needs: all of them for R^2, the held-out ones for co-bps.
    int[] scored = validTruth != null ? allNeurons(split.nNeurons()) : out;
    List<double[]> targets = new ArrayList<>(scored.length);
    for (int n : scored) {
      targets.add(train.series(n));
    }
    SpikeCounts trainIn = train.neurons(in);
    SpikeCounts validIn = valid.neurons(in);
    SpikeCounts validOut = valid.neurons(out);
    List<GridScore> grid = new ArrayList<>();
    Candidate best = null;
    for (double sigma : cfg.sigmaGridBins) {
      GaussianKernel kernel = new GaussianKernel(sigma);
      RowMatrix xTrain = cfg.transform().features(kernel.smooth(trainIn));
      RowMatrix xValid = cfg.transform().features(kernel.smooth(validIn));
      FactorAnalysis.Moments moments = FactorAnalysis.Moments.of(xTrain);
      for (int k : ks) {
        FactorAnalysis.Model fa = FactorAnalysis.fit(moments, k, cfg.fa());
        RowMatrix zTrain = fa.transform(xTrain);
        List<PoissonGlm.Fit> fits = PoissonGlm.fitAll(zTrain, targets, cfg.glm(), cfg.threads());
        Rates predicted = Baselines.predict(fits, fa.transform(xValid), valid);
        double score = validTruth != null ? RateR2.meanOverNeurons(predicted, validTruth)
            : PoissonMetrics.bitsPerSpike(predicted, validOut);
        grid.add(new GridScore(Map.of("sigma_bins", sigma, "latents", (double) k), score));
        if (best == null || score > best.score) {
          best = new Candidate(sigma, fa, zTrain, fits, score);
        }
      }
    }
    List<PoissonGlm.Fit> readouts = new ArrayList<>(split.nNeurons());
    if (validTruth != null) {
      readouts.addAll(best.fits);
    } else {
      // The search fit only the held-out readouts; the held-in ones are fit once, for the winner.
      List<double[]> inTargets = new ArrayList<>(in.length);
      for (int n : in) {
        inTargets.add(train.series(n));
      }
      List<PoissonGlm.Fit> inFits = PoissonGlm.fitAll(best.zTrain, inTargets, cfg.glm(), cfg.threads());
      PoissonGlm.Fit[] all = new PoissonGlm.Fit[split.nNeurons()];
      for (int j = 0; j < in.length; j++) {
        all[in[j]] = inFits.get(j);
      }
      for (int j = 0; j < out.length; j++) {
        all[out[j]] = best.fits.get(j);
      }
      readouts.addAll(Arrays.asList(all));
    }
    return new Model(split, best.sigma, best.fa.latents(), cfg.transform(), best.fa, readouts, criterion, best.score,
        grid);
  }

  private record Candidate(double sigma, FactorAnalysis.Model fa, RowMatrix zTrain, List<PoissonGlm.Fit> fits,
      double score) {}

  private static int[] allNeurons(int n) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    return all;
  }
}
