package org.neurolake.lfads;

import java.util.ArrayList;
import java.util.List;
import org.neurolake.eval.Metric;
import org.neurolake.model.neural.ForwardPrediction;
import org.neurolake.model.neural.NlbMetrics;
import org.neurolake.model.neural.Rates;
import org.neurolake.model.neural.SpikeCounts;

/**
 * The Neural Latents Benchmark's metrics beside the co-bps of {@link LfadsEvaluation}, for LFADS and
 * both baselines on a run's test trials:
 *
 * <ul>
 *   <li>PSTH R^2 ({@link NlbMetrics#psthR2}): each model's rates of every neuron (as plotted,
 *       {@link LfadsEvaluation.TestRates}) averaged per condition against the test trials' counts
 *       averaged per condition. Nothing for a session without conditions.
 *   <li>fp-bps ({@link NlbMetrics#forwardBitsPerSpike}) when the run holds out the last bins of every
 *       trial in time ({@code data.forward-bins}): LFADS's rates there come from its generator run on
 *       past the observed bins (as {@code infer-lfads} writes them); each baseline's from a
 *       {@link ForwardPrediction} fit on the training trials (from the baseline's rates on their
 *       observed bins to their forward counts) and chosen on the validation trials. The baselines'
 *       chosen lag and penalty are reported beside ({@code fp_lag_bins}, {@code fp_l2}).
 * </ul>
 */
public final class NlbEvaluation {
  private NlbEvaluation() {}

  public static final String PSTH_R2 = "psth_r2";
  public static final String FP_BPS = "fp_bps";

  /**
   * @param testCounts every neuron's counts on the test trials, in {@code rates.trials()} order
   * @param testConditions the condition of each of those trials (null entries: none)
   */
  public static List<Metric> psthR2(String dataset, SpikeCounts testCounts, String[] testConditions,
      LfadsEvaluation.TestRates rates) {
    List<Metric> out = new ArrayList<>();
    add(out, LfadsModels.MODEL, dataset, rates.lfads(), testCounts, testConditions);
    add(out, LfadsEvaluation.SMOOTHING, dataset, rates.smoothing(), testCounts, testConditions);
    add(out, LfadsEvaluation.LINEAR_LATENT, dataset, rates.linearLatent(), testCounts, testConditions);
    return out;
  }

  private static void add(List<Metric> out, String model, String dataset, Rates rates, SpikeCounts counts,
      String[] conditions) {
    Double r2 = NlbMetrics.psthR2OrNull(rates, counts, conditions);
    if (r2 != null) {
      out.add(new Metric(model, dataset, LfadsEvaluation.TEST_SPLIT, PSTH_R2, r2));
    }
  }

  /**
   * fp-bps of the three models over the last {@code forwardBins} bins of the whole trials.
   *
   * @param whole the trials with every bin, and LFADS's rates of every bin (observed and forward)
   * @param baselines the baselines fit on the observed bins ({@link LfadsEvaluation.Result#baselines})
   */
  public static List<Metric> forwardBitsPerSpike(LfadsEvaluation.Input whole, int forwardBins,
      LfadsEvaluation.Baselines baselines, ForwardPrediction.Config cfg) {
    int bins = whole.test().counts().bins();
    if (forwardBins < 1 || forwardBins >= bins) {
      throw new IllegalArgumentException("forward bins " + forwardBins + " outside [1, " + bins + ")");
    }
    int observed = bins - forwardBins;
    String dataset = whole.dataset();
    List<Metric> out = new ArrayList<>();
    out.add(new Metric(LfadsModels.MODEL, dataset, LfadsEvaluation.TEST_SPLIT, FP_BPS,
        NlbMetrics.forwardBitsPerSpike(whole.lfadsTest(), whole.test().counts(), forwardBins)));
    addBaseline(out, LfadsEvaluation.SMOOTHING, baselines.smoothing(), whole, observed, cfg);
    addBaseline(out, LfadsEvaluation.LINEAR_LATENT, baselines.linearLatent(), whole, observed, cfg);
    return out;
  }

  private static void addBaseline(List<Metric> out, String model, LfadsEvaluation.RatesModel baseline,
      LfadsEvaluation.Input whole, int observed, ForwardPrediction.Config cfg) {
    SpikeCounts train = whole.train().counts();
    SpikeCounts valid = whole.valid().counts();
    SpikeCounts test = whole.test().counts();
    int bins = test.bins();
    ForwardPrediction.Model forward = ForwardPrediction.fit(cfg, baseline.predict(train.bins(0, observed)),
        train.bins(observed, bins), baseline.predict(valid.bins(0, observed)), valid.bins(observed, bins));
    Rates predicted = forward.predict(baseline.predict(test.bins(0, observed)));
    out.add(new Metric(model, whole.dataset(), LfadsEvaluation.TEST_SPLIT, FP_BPS,
        NlbMetrics.forwardBitsPerSpike(predicted, test)));
    forward.hyperparameters().forEach((k, v) -> out.add(new Metric(model, whole.dataset(),
        LfadsEvaluation.TEST_SPLIT, k, v)));
  }
}
