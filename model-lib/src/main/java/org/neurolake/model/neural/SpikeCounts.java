package org.neurolake.model.neural;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binned spike counts of simultaneously recorded neurons: trials x bins x neurons, stored
 * time-major, the count of (trial, bin, neuron) at {@code counts[(trial * bins + bin) * neurons +
 * neuron]}. Counts are whole, non-negative numbers held as doubles so they feed the metrics and
 * baselines without conversion.
 *
 * <p>Immutable: the constructor copies {@code counts}, and {@link #counts()} returns a copy; read
 * single values with {@link #count}.
 */
public record SpikeCounts(int trials, int bins, int neurons, double binMs, double[] counts) {

  public SpikeCounts {
    TimeMajor.checkShape("spike counts", trials, bins, neurons, binMs, counts);
    counts = counts.clone();
    for (int i = 0; i < counts.length; i++) {
      double c = counts[i];
      if (!(c >= 0) || c != Math.rint(c) || Double.isInfinite(c)) {
        throw new IllegalArgumentException("spike counts: value " + c + " at index " + i
            + " is not a whole non-negative count");
      }
    }
  }

  /**
   * From the {@code spike_trials} layout: one array per trial, neuron-major
   * ({@code counts[neuron * nBins + bin]}), every trial with the same neurons and bins.
   */
  public static SpikeCounts fromNeuronMajor(List<int[]> trialCounts, int nNeurons, int nBins, double binMs) {
    List<double[]> asDoubles = new ArrayList<>(trialCounts.size());
    for (int[] c : trialCounts) {
      asDoubles.add(Arrays.stream(c).asDoubleStream().toArray());
    }
    return new SpikeCounts(trialCounts.size(), nBins, nNeurons, binMs,
        TimeMajor.fromNeuronMajor("spike counts", asDoubles, nNeurons, nBins));
  }

  /** A copy of the counts, time-major. */
  @Override
  public double[] counts() {
    return counts.clone();
  }

  /** The stored array itself, for read-only use inside this package. */
  double[] data() {
    return counts;
  }

  /** One neuron's counts over all (trial, bin) samples, trial-major: the targets of a GLM. */
  double[] series(int neuron) {
    int rows = trials * bins;
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = counts[r * neurons + neuron];
    }
    return out;
  }

  public double count(int trial, int bin, int neuron) {
    return counts[(trial * bins + bin) * neurons + neuron];
  }

  /** The listed trials, in the given order. */
  public SpikeCounts select(int[] trialIdx) {
    return new SpikeCounts(trialIdx.length, bins, neurons, binMs,
        TimeMajor.selectTrials(counts, trials, bins, neurons, trialIdx));
  }

  /** Bins [from, to) of every trial (a window in time). */
  public SpikeCounts bins(int from, int to) {
    return new SpikeCounts(trials, to - from, neurons, binMs, TimeMajor.selectBins(counts, trials, bins, neurons,
        from, to));
  }

  /** The listed neurons, in the given order. */
  public SpikeCounts neurons(int[] neuronIdx) {
    return new SpikeCounts(trials, bins, neuronIdx.length, binMs,
        TimeMajor.selectNeurons(counts, trials, bins, neurons, neuronIdx));
  }

  public double totalSpikes() {
    double s = 0;
    for (double c : counts) {
      s += c;
    }
    return s;
  }

  /** Each neuron's total count over all trials and bins. */
  public double[] neuronTotals() {
    double[] t = new double[neurons];
    for (int i = 0; i < counts.length; i++) {
      t[i % neurons] += counts[i];
    }
    return t;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpikeCounts s && s.trials == trials && s.bins == bins && s.neurons == neurons
        && Double.compare(s.binMs, binMs) == 0 && Arrays.equals(s.counts, counts);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * trials + bins) + neurons) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "SpikeCounts[" + trials + " trials x " + bins + " bins x " + neurons + " neurons, " + binMs + " ms bins]";
  }
}
