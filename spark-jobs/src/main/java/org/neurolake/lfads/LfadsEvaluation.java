package org.neurolake.lfads;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.neurolake.eval.Metric;
import org.neurolake.model.neural.GaussianSmoothingBaseline;
import org.neurolake.model.neural.GridScore;
import org.neurolake.model.neural.LinearLatentBaseline;
import org.neurolake.model.neural.NeuronSplit;
import org.neurolake.model.neural.PoissonMetrics;
import org.neurolake.model.neural.RateR2;
import org.neurolake.model.neural.Rates;
import org.neurolake.model.neural.SpikeCounts;

/**
 * Scores an LFADS run's inferred rates on the test trials of a session, with two baselines fit on
 * the training trials and tuned on the validation trials: Gaussian smoothing of the spikes and a
 * linear latent model. Works on trials in memory (no tables: {@code EvaluateLfadsJob} reads and
 * writes).
 *
 * <ul>
 *   <li>When the session has true rates (synthetic data): {@code r2_rates} (mean over neurons) and
 *       {@code r2_rates_pooled} of every model against them, with the baselines' hyperparameters
 *       chosen by R^2 on the validation trials and reported ({@code sigma_bins}, {@code latents}).
 *   <li>When the run held out neurons: {@code co_bps}, the held-out neurons' bits per spike on the
 *       test trials (NLB), with the baselines chosen by validation co-bps.
 * </ul>
 *
 * @param smoothing the smoothing baseline's grid and settings
 * @param linearLatent the linear latent baseline's grid and settings
 */
public record LfadsEvaluation(GaussianSmoothingBaseline.Config smoothing, LinearLatentBaseline.Config linearLatent) {
  /** The evaluations partitions of the baselines (LFADS's is {@link LfadsModels#MODEL}). */
  public static final String SMOOTHING = "smoothing";
  public static final String LINEAR_LATENT = "linear_latent";
  /** The split every metric is computed on. */
  public static final String TEST_SPLIT = "test";
  /** The split of the metrics configurations are chosen by (LFADS's validation R^2 of rates). */
  public static final String VALID_SPLIT = "valid";

  public LfadsEvaluation {
    Objects.requireNonNull(smoothing, "smoothing");
    Objects.requireNonNull(linearLatent, "linearLatent");
  }

  /** The baselines' default grids, as the evaluate-lfads job uses them. */
  public static LfadsEvaluation defaults() {
    return new LfadsEvaluation(GaussianSmoothingBaseline.Config.defaults(), LinearLatentBaseline.Config.defaults());
  }

  /**
   * The trials of one split: their numbers, the counts of every neuron (recording order, trials in
   * the order of {@code numbers}), and their true rates, or null when the session has none.
   */
  public record Trials(int[] numbers, SpikeCounts counts, Rates truth) {
    public Trials {
      numbers = numbers.clone();
      Objects.requireNonNull(counts, "counts");
      if (numbers.length != counts.trials()) {
        throw new IllegalArgumentException(numbers.length + " trial numbers for " + counts);
      }
      if (truth != null && !truth.sameShape(counts)) {
        throw new IllegalArgumentException("true rates " + truth + " do not match the counts " + counts);
      }
    }

    @Override
    public int[] numbers() {
      return numbers.clone();
    }

    /** The first {@code bins} bins of every trial (counts and truth). */
    public Trials firstBins(int bins) {
      return new Trials(numbers, counts.bins(0, bins), truth == null ? null : truth.bins(0, bins));
    }
  }

  /**
   * What is scored: the session ({@code dataset} of the metrics), its neuron split, the three splits'
   * trials and LFADS's rates of every neuron on the test trials. True rates, when the session has
   * them, are needed on the validation and test trials (the training trials' are not used).
   */
  public record Input(String dataset, NeuronSplit neurons, Trials train, Trials valid, Trials test, Rates lfadsValid,
      Rates lfadsTest) {
    public Input {
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(neurons, "neurons");
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(valid, "valid");
      Objects.requireNonNull(test, "test");
      if (valid.counts().trials() == 0 || test.counts().trials() == 0) {
        throw new IllegalArgumentException("need validation and test trials; got " + valid.counts().trials() + " and "
            + test.counts().trials());
      }
      if (test.counts().neurons() != neurons.nNeurons()) {
        throw new IllegalArgumentException("the counts have " + test.counts().neurons() + " neurons, the split "
            + neurons.nNeurons());
      }
      if (lfadsValid != null && !lfadsValid.sameShape(valid.counts())) {
        throw new IllegalArgumentException("LFADS rates " + lfadsValid + " do not match the validation "
            + valid.counts());
      }
      if (!lfadsTest.sameShape(test.counts())) {
        throw new IllegalArgumentException("LFADS rates " + lfadsTest + " do not match the test " + test.counts());
      }
      if ((valid.truth() == null) != (test.truth() == null)) {
        throw new IllegalArgumentException("true rates are needed on both the validation and the test trials, or"
            + " on neither");
      }
    }

    boolean hasTruth() {
      return test.truth() != null;
    }

    /**
     * The first {@code bins} bins of every trial and of LFADS's rates: what the models saw when the
     * last bins are held out in time.
     */
    public Input firstBins(int bins) {
      return new Input(dataset, neurons, train.firstBins(bins), valid.firstBins(bins), test.firstBins(bins),
          lfadsValid == null ? null : lfadsValid.bins(0, bins), lfadsTest.bins(0, bins));
    }

    boolean hasHeldOut() {
      return neurons.heldOut().length > 0;
    }
  }

  /**
   * The test trials' rates as the rate plot draws them, every neuron in recording order: the true
   * rates (null without), LFADS's, and the baselines' (smoothing's is the observed-neuron estimate
   * with true rates, the held-out model's without; the linear latent model is chosen likewise).
   */
  public record TestRates(int[] trials, Rates truth, Rates lfads, Rates smoothing, Rates linearLatent) {
    public TestRates {
      trials = trials.clone();
      Objects.requireNonNull(lfads, "lfads");
      Objects.requireNonNull(smoothing, "smoothing");
      Objects.requireNonNull(linearLatent, "linearLatent");
    }

    @Override
    public int[] trials() {
      return trials.clone();
    }
  }

  /** A fitted baseline as a function: every neuron's counts of some trials → its rates of every neuron. */
  @FunctionalInterface
  public interface RatesModel {
    Rates predict(SpikeCounts everyNeuron);
  }

  /** The fitted baselines whose test rates are in {@link TestRates}, to apply to other trials. */
  public record Baselines(RatesModel smoothing, RatesModel linearLatent) {
    public Baselines {
      Objects.requireNonNull(smoothing, "smoothing");
      Objects.requireNonNull(linearLatent, "linearLatent");
    }
  }

  /** The metrics, grouped by model (LFADS, smoothing, linear latent), the rates to plot and the baselines. */
  public record Result(List<Metric> metrics, TestRates testRates, Baselines baselines) {
    public Result {
      metrics = List.copyOf(metrics);
      Objects.requireNonNull(testRates, "testRates");
      Objects.requireNonNull(baselines, "baselines");
    }

    /** The value of {@code metric} for {@code model}; throws when there is none. */
    /** A test-split metric. */
    public double get(String model, String metric) {
      return get(model, TEST_SPLIT, metric);
    }

    public double get(String model, String split, String metric) {
      return metrics.stream().filter(m -> m.model().equals(model) && m.split().equals(split)
              && m.metric().equals(metric)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no " + split + " " + metric + " for " + model + " in "
              + metrics))
          .value();
    }
  }

  public Result evaluate(Input in) {
    if (!in.hasTruth() && !in.hasHeldOut()) {
      throw new IllegalArgumentException("session " + in.dataset() + " has no true rates and no held-out neurons:"
          + " there is nothing to score the rates against");
    }
    Metrics lfads = new Metrics(in.dataset(), LfadsModels.MODEL);
    Metrics smoothed = new Metrics(in.dataset(), SMOOTHING);
    Metrics linear = new Metrics(in.dataset(), LINEAR_LATENT);
    NeuronSplit split = in.neurons();
    SpikeCounts train = in.train().counts();
    SpikeCounts valid = in.valid().counts();
    SpikeCounts test = in.test().counts();
    SpikeCounts testIn = test.neurons(split.heldIn());
    Rates lfadsTest = in.lfadsTest();
    TestRates plotted = null;
    Baselines fitted = null;
    int[] heldIn = split.heldIn();
    if (in.hasTruth()) {
      Rates testTruth = in.test().truth();
      lfads.add("r2_rates", RateR2.meanOverNeurons(lfadsTest, testTruth));
      lfads.add("r2_rates_pooled", RateR2.pooled(lfadsTest, testTruth));
      if (in.lfadsValid() != null) {
        lfads.add(VALID_SPLIT, "r2_rates", RateR2.meanOverNeurons(in.lfadsValid(), in.valid().truth()));
      }

      GaussianSmoothingBaseline.ObservedChoice smoothing = GaussianSmoothingBaseline.chooseObserved(this.smoothing,
          valid, in.valid().truth());
      Rates smoothingTest = smoothing.predict(test);
      smoothed.add("r2_rates", RateR2.meanOverNeurons(smoothingTest, testTruth));
      smoothed.add("r2_rates_pooled", RateR2.pooled(smoothingTest, testTruth));
      smoothed.add("sigma_bins", smoothing.sigmaBins());
      smoothed.add("sigma_at_grid_edge", GridScore.atEdge(smoothing.sigmaBins(), this.smoothing.sigmaGridBins()) ? 1 : 0);

      LinearLatentBaseline.Model latent = LinearLatentBaseline.fit(linearLatent, train, valid, split,
          in.valid().truth());
      Rates linearTest = latent.predict(testIn);
      linear.add("r2_rates", RateR2.meanOverNeurons(linearTest, testTruth));
      linear.add("r2_rates_pooled", RateR2.pooled(linearTest, testTruth));
      linear.addAll(latent.hyperparameters());
      addGridEdges(linear, latent);
      plotted = new TestRates(in.test().numbers(), testTruth, lfadsTest, smoothingTest, linearTest);
      fitted = new Baselines(smoothing::predict, counts -> latent.predict(counts.neurons(heldIn)));
    }
    if (in.hasHeldOut()) {
      SpikeCounts testOut = test.neurons(split.heldOut());
      lfads.add("co_bps", PoissonMetrics.bitsPerSpike(lfadsTest.neurons(split.heldOut()), testOut));
      GaussianSmoothingBaseline.HeldOutModel smoothing = GaussianSmoothingBaseline.fitHeldOut(this.smoothing, train,
          valid, split);
      Rates smoothingTest = smoothing.predict(testIn);
      smoothed.add("co_bps", PoissonMetrics.bitsPerSpike(smoothingTest.neurons(split.heldOut()), testOut));
      LinearLatentBaseline.Model latent = LinearLatentBaseline.fit(linearLatent, train, valid, split, null);
      Rates linearTest = latent.predict(testIn);
      linear.add("co_bps", PoissonMetrics.bitsPerSpike(linearTest.neurons(split.heldOut()), testOut));
      if (plotted == null) {
        plotted = new TestRates(in.test().numbers(), null, lfadsTest, smoothingTest, linearTest);
        fitted = new Baselines(counts -> smoothing.predict(counts.neurons(heldIn)),
            counts -> latent.predict(counts.neurons(heldIn)));
      }
    }
    List<Metric> all = new ArrayList<>(lfads.list);
    all.addAll(smoothed.list);
    all.addAll(linear.list);
    return new Result(all, plotted, fitted);
  }

  /** 1 when the linear latent baseline's chosen width or number of latents is at its grid's edge. */
  private void addGridEdges(Metrics linear, LinearLatentBaseline.Model latent) {
    linear.add("sigma_at_grid_edge", GridScore.atEdge(latent.sigmaBins(), linearLatent.sigmaGridBins()) ? 1 : 0);
    linear.add("latents_at_grid_edge", GridScore.atEdge(latent.latents(),
        java.util.Arrays.stream(linearLatent.latentGrid()).asDoubleStream().toArray()) ? 1 : 0);
  }

  /** One model's metrics on the test split, in the order they are computed. */
  private static final class Metrics {
    final String dataset;
    final String model;
    final List<Metric> list = new ArrayList<>();

    Metrics(String dataset, String model) {
      this.dataset = dataset;
      this.model = model;
    }

    void add(String metric, double value) {
      add(TEST_SPLIT, metric, value);
    }

    void add(String split, String metric, double value) {
      list.add(new Metric(model, dataset, split, metric, value));
    }

    void addAll(Map<String, Double> values) {
      values.forEach(this::add);
    }
  }
}
