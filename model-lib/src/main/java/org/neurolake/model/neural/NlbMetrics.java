package org.neurolake.model.neural;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The Neural Latents Benchmark's metrics beside co-bps ({@link PoissonMetrics#bitsPerSpike} on
 * held-out neurons), on the trials being scored:
 *
 * <ul>
 *   <li><b>fp-bps</b>, forward-prediction bits per spike: {@link PoissonMetrics#bitsPerSpike} of
 *       every neuron over the last {@code forwardBins} bins of each trial only (the bins held out in
 *       time), the null model being each neuron's mean count per bin over those bins.
 *   <li><b>PSTH R^2</b>: for each condition, the predicted rates and the observed counts averaged
 *       over its trials (a PSTH per neuron, in expected spikes per bin); each neuron's R^2 of
 *       predicted against observed over all (condition, bin) points, about the observed mean;
 *       averaged over neurons. NLB compares with PSTHs of smoothed spikes of every trial; here the
 *       observed PSTHs are the scored trials' raw counts, so noise lowers the ceiling below 1.
 *       Neurons whose observed PSTH is constant (no variance to explain) are left out of the mean.
 * </ul>
 */
public final class NlbMetrics {
  private NlbMetrics() {}

  /** The last {@code forwardBins} bins of every trial. */
  public static double forwardBitsPerSpike(Rates predicted, SpikeCounts observed, int forwardBins) {
    if (!predicted.sameShape(observed)) {
      throw new IllegalArgumentException("predicted " + predicted + " and observed " + observed + " differ in shape");
    }
    if (forwardBins < 1 || forwardBins > observed.bins()) {
      throw new IllegalArgumentException("forward bins " + forwardBins + " outside [1, " + observed.bins() + "]");
    }
    int from = observed.bins() - forwardBins;
    return PoissonMetrics.bitsPerSpike(predicted.bins(from, observed.bins()), observed.bins(from, observed.bins()));
  }

  /**
   * fp-bps of rates predicted for the forward bins only ({@code forwardRates}: trials x forward bins x
   * neurons) against the last {@code forwardRates.bins()} bins of {@code observed}: the same number
   * as {@link #forwardBitsPerSpike(Rates, SpikeCounts, int)} for models that give no rates elsewhere.
   */
  public static double forwardBitsPerSpike(Rates forwardRates, SpikeCounts observed) {
    int k = forwardRates.bins();
    if (k > observed.bins() || forwardRates.trials() != observed.trials()
        || forwardRates.neurons() != observed.neurons()) {
      throw new IllegalArgumentException("forward rates " + forwardRates + " do not fit the end of " + observed);
    }
    return PoissonMetrics.bitsPerSpike(forwardRates, observed.bins(observed.bins() - k, observed.bins()));
  }

  /**
   * PSTH R^2, {@code conditions[i]} being trial i's condition (null: the trial is in no PSTH).
   * Throws when no trial has a condition or no neuron's observed PSTH varies.
   */
  public static double psthR2(Rates predicted, SpikeCounts observed, String[] conditions) {
    if (!predicted.sameShape(observed)) {
      throw new IllegalArgumentException("predicted " + predicted + " and observed " + observed + " differ in shape");
    }
    if (conditions.length != observed.trials()) {
      throw new IllegalArgumentException(conditions.length + " conditions for " + observed.trials() + " trials");
    }
    Map<String, List<Integer>> byCondition = new LinkedHashMap<>();
    for (int i = 0; i < conditions.length; i++) {
      if (conditions[i] != null) {
        byCondition.computeIfAbsent(conditions[i], c -> new ArrayList<>()).add(i);
      }
    }
    if (byCondition.isEmpty()) {
      throw new IllegalArgumentException("PSTH R^2 needs trials with conditions; these have none");
    }
    int bins = observed.bins();
    int n = observed.neurons();
    int points = byCondition.size() * bins;
    double[] pred = new double[points * n];
    double[] obs = new double[points * n];
    int c = 0;
    for (List<Integer> trials : byCondition.values()) {
      for (int tr : trials) {
        for (int b = 0; b < bins; b++) {
          for (int j = 0; j < n; j++) {
            int at = (c * bins + b) * n + j;
            pred[at] += predicted.rate(tr, b, j) / trials.size();
            obs[at] += observed.count(tr, b, j) / trials.size();
          }
        }
      }
      c++;
    }
    double sum = 0;
    int scored = 0;
    for (int j = 0; j < n; j++) {
      double mean = 0;
      for (int p = 0; p < points; p++) {
        mean += obs[p * n + j];
      }
      mean /= points;
      double res = 0;
      double tot = 0;
      for (int p = 0; p < points; p++) {
        double o = obs[p * n + j];
        res += (o - pred[p * n + j]) * (o - pred[p * n + j]);
        tot += (o - mean) * (o - mean);
      }
      if (tot > 0) {
        sum += 1 - res / tot;
        scored++;
      }
    }
    if (scored == 0) {
      throw new IllegalArgumentException("PSTH R^2 is undefined: no neuron's observed PSTH varies");
    }
    return sum / scored;
  }

  /** {@link #psthR2} when at least one trial has a condition, else null (a session without conditions). */
  public static Double psthR2OrNull(Rates predicted, SpikeCounts observed, String[] conditions) {
    Objects.requireNonNull(conditions, "conditions");
    for (String s : conditions) {
      if (s != null) {
        return psthR2(predicted, observed, conditions);
      }
    }
    return null;
  }
}
