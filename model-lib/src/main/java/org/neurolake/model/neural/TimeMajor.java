package org.neurolake.model.neural;

import java.util.List;

/**
 * Index arithmetic shared by {@link SpikeCounts} and {@link Rates}: a trials x bins x neurons
 * tensor stored time-major, element (trial, bin, neuron) at {@code (trial * bins + bin) * neurons
 * + neuron}. One (trial, bin) sample is then a contiguous row of neurons, which is the row layout
 * the GLM and factor analysis read.
 */
final class TimeMajor {
  private TimeMajor() {}

  static void checkShape(String what, int trials, int bins, int neurons, double binMs, double[] values) {
    if (trials < 0 || bins < 1 || neurons < 0) {
      throw new IllegalArgumentException(what + ": need trials >= 0, bins >= 1, neurons >= 0; got " + trials + " x "
          + bins + " x " + neurons);
    }
    if (!(binMs > 0) || Double.isInfinite(binMs)) {
      throw new IllegalArgumentException(what + ": bin width must be a positive number of ms: " + binMs);
    }
    if (values == null) {
      throw new IllegalArgumentException(what + ": values are null");
    }
    if ((long) trials * bins * neurons != values.length) {
      throw new IllegalArgumentException(what + ": " + values.length + " values, expected trials x bins x neurons = "
          + trials + " x " + bins + " x " + neurons);
    }
  }

  /** The listed trials, in the order given (a trial may repeat). */
  static double[] selectTrials(double[] values, int trials, int bins, int neurons, int[] which) {
    int block = bins * neurons;
    double[] out = new double[which.length * block];
    for (int i = 0; i < which.length; i++) {
      int t = which[i];
      if (t < 0 || t >= trials) {
        throw new IllegalArgumentException("trial index " + t + " outside [0, " + trials + ")");
      }
      System.arraycopy(values, t * block, out, i * block, block);
    }
    return out;
  }

  /** The listed neurons, in the order given (a neuron may repeat). */
  static double[] selectNeurons(double[] values, int trials, int bins, int neurons, int[] which) {
    for (int n : which) {
      if (n < 0 || n >= neurons) {
        throw new IllegalArgumentException("neuron index " + n + " outside [0, " + neurons + ")");
      }
    }
    int rows = trials * bins;
    int k = which.length;
    double[] out = new double[rows * k];
    for (int r = 0; r < rows; r++) {
      int src = r * neurons;
      int dst = r * k;
      for (int j = 0; j < k; j++) {
        out[dst + j] = values[src + which[j]];
      }
    }
    return out;
  }

  /** Copies neuron-major trials ({@code m[neuron * bins + bin]}) into one time-major array. */
  static double[] fromNeuronMajor(String what, List<double[]> trials, int neurons, int bins) {
    int block = bins * neurons;
    double[] out = new double[trials.size() * block];
    for (int tr = 0; tr < trials.size(); tr++) {
      double[] m = trials.get(tr);
      if (m.length != block) {
        throw new IllegalArgumentException(what + ": trial " + tr + " has " + m.length
            + " values, expected n_neurons x n_bins = " + neurons + " x " + bins);
      }
      int base = tr * block;
      for (int n = 0; n < neurons; n++) {
        for (int b = 0; b < bins; b++) {
          out[base + b * neurons + n] = m[n * bins + b];
        }
      }
    }
    return out;
  }
  /** Bins [from, to) of every trial. */
  static double[] selectBins(double[] v, int trials, int bins, int neurons, int from, int to) {
    if (from < 0 || to > bins || from >= to) {
      throw new IllegalArgumentException("bins [" + from + ", " + to + ") of trials of " + bins + " bins");
    }
    int k = to - from;
    double[] out = new double[trials * k * neurons];
    for (int tr = 0; tr < trials; tr++) {
      System.arraycopy(v, (tr * bins + from) * neurons, out, tr * k * neurons, k * neurons);
    }
    return out;
  }
}
