package org.neurolake.lfads;

import java.util.ArrayList;
import java.util.List;
import org.neurolake.eval.Metric;
import org.neurolake.model.neural.NlbMetrics;
import org.neurolake.model.neural.Rates;
import org.neurolake.model.neural.SpikeCounts;

/**
 * The Neural Latents Benchmark's PSTH R^2 ({@link NlbMetrics#psthR2}) of LFADS and both baselines
 * on a run's test trials, beside the co-bps of {@link LfadsEvaluation}: each model's rates of every
 * neuron (as plotted, {@link LfadsEvaluation.TestRates}) averaged per condition against the test
 * trials' counts averaged per condition. Nothing for a session without conditions.
 */
public final class NlbEvaluation {
  private NlbEvaluation() {}

  public static final String PSTH_R2 = "psth_r2";

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
}
