package org.neurolake.model.neural;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Firing rates with the shape and layout of {@link SpikeCounts} (trials x bins x neurons,
 * time-major), in <b>expected spikes per bin</b>, the unit the Poisson metrics compare with
 * counts. Rates in Hz (the synthetic generator's ground truth) convert with
 * {@code perBin = hz * binMs / 1000}: see {@link #fromHzNeuronMajor}.
 *
 * <p>Values are finite and non-negative. Immutable: the constructor copies {@code perBin}, and
 * {@link #perBin()} returns a copy; read single values with {@link #rate}.
 */
public record Rates(int trials, int bins, int neurons, double binMs, double[] perBin) {

  public Rates {
    TimeMajor.checkShape("rates", trials, bins, neurons, binMs, perBin);
    perBin = perBin.clone();
    for (int i = 0; i < perBin.length; i++) {
      double r = perBin[i];
      if (!(r >= 0) || Double.isInfinite(r)) {
        throw new IllegalArgumentException("rates: value " + r + " at index " + i + " is not a finite rate >= 0");
      }
    }
  }

  /**
   * From rates in Hz in the {@code truth} table's layout: one array per trial, neuron-major
   * ({@code ratesHz[neuron * nBins + bin]}); converted to expected spikes per {@code binMs} bin.
   */
  public static Rates fromHzNeuronMajor(List<double[]> ratesHz, int nNeurons, int nBins, double binMs) {
    List<double[]> perBin = new ArrayList<>(ratesHz.size());
    for (double[] hz : ratesHz) {
      double[] r = new double[hz.length];
      for (int i = 0; i < r.length; i++) {
        r[i] = hz[i] * binMs / 1000.0;
      }
      perBin.add(r);
    }
    return new Rates(ratesHz.size(), nBins, nNeurons, binMs,
        TimeMajor.fromNeuronMajor("rates", perBin, nNeurons, nBins));
  }

  /**
   * Rates from one series per neuron ({@code series[neuron][trial * bins + bin]}), the layout a
   * GLM predicts in.
   */
  static Rates fromSeries(int trials, int bins, double binMs, double[][] series) {
    int neurons = series.length;
    double[] out = new double[trials * bins * neurons];
    for (int n = 0; n < neurons; n++) {
      double[] s = series[n];
      if (s.length != trials * bins) {
        throw new IllegalArgumentException("series of neuron " + n + " has " + s.length + " values, expected "
            + trials * bins);
      }
      for (int r = 0; r < s.length; r++) {
        out[r * neurons + n] = s[r];
      }
    }
    return new Rates(trials, bins, neurons, binMs, out);
  }

  /** One neuron's rates over all (trial, bin) samples, trial-major. */
  double[] series(int neuron) {
    int rows = trials * bins;
    double[] out = new double[rows];
    for (int r = 0; r < rows; r++) {
      out[r] = perBin[r * neurons + neuron];
    }
    return out;
  }

  /** A copy of the rates (expected spikes per bin), time-major. */
  @Override
  public double[] perBin() {
    return perBin.clone();
  }

  /** The stored array itself, for read-only use inside this package. */
  double[] data() {
    return perBin;
  }

  /** Expected spikes of (trial, bin, neuron) in one bin. */
  public double rate(int trial, int bin, int neuron) {
    return perBin[(trial * bins + bin) * neurons + neuron];
  }

  /** The same rate in spikes per second. */
  public double rateHz(int trial, int bin, int neuron) {
    return rate(trial, bin, neuron) * 1000.0 / binMs;
  }

  /** The listed trials, in the given order. */
  public Rates select(int[] trialIdx) {
    return new Rates(trialIdx.length, bins, neurons, binMs, TimeMajor.selectTrials(perBin, trials, bins, neurons,
        trialIdx));
  }

  /** Bins [from, to) of every trial (a window in time). */
  public Rates bins(int from, int to) {
    return new Rates(trials, to - from, neurons, binMs, TimeMajor.selectBins(perBin, trials, bins, neurons, from, to));
  }

  /** The listed neurons, in the given order. */
  public Rates neurons(int[] neuronIdx) {
    return new Rates(trials, bins, neuronIdx.length, binMs, TimeMajor.selectNeurons(perBin, trials, bins, neurons,
        neuronIdx));
  }

  /** True when {@code counts} has this shape and bin width, so the two can be compared. */
  public boolean sameShape(SpikeCounts counts) {
    return counts.trials() == trials && counts.bins() == bins && counts.neurons() == neurons
        && Math.abs(counts.binMs() - binMs) <= 1e-9 * binMs;
  }

  /** True when {@code other} has this shape and bin width. */
  public boolean sameShape(Rates other) {
    return other.trials == trials && other.bins == bins && other.neurons == neurons
        && Math.abs(other.binMs - binMs) <= 1e-9 * binMs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Rates r && r.trials == trials && r.bins == bins && r.neurons == neurons
        && Double.compare(r.binMs, binMs) == 0 && Arrays.equals(r.perBin, perBin);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * (31 * trials + bins) + neurons) + Arrays.hashCode(perBin);
  }

  @Override
  public String toString() {
    return "Rates[" + trials + " trials x " + bins + " bins x " + neurons + " neurons, " + binMs + " ms bins]";
  }
}
