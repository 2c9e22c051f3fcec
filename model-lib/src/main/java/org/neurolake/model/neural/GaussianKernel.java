package org.neurolake.model.neural;

/**
 * A Gaussian smoothing kernel in time, of standard deviation {@code sigmaBins} (in bins; 0 means no
 * smoothing), truncated at {@link #radius()} bins either side. Smoothing is done within each trial
 * and neuron: {@code s(t) = sum_u w(t, u) y(u)} with {@code w(t, u)} proportional to
 * {@code exp(-(t - u)^2 / (2 sigma^2))} over the bins u of the trial within the radius, and
 * normalized so that {@code sum_u w(t, u) = 1} for every t. In the middle of a trial this is the
 * ordinary normalized kernel; near the edges the missing side is left out and the rest rescaled,
 * so the smoothed value stays an average of counts instead of being biased towards 0.
 */
public record GaussianKernel(double sigmaBins) {
  /** Truncation, in standard deviations: the weight beyond it is below 4e-4 of the peak. */
  public static final double TRUNCATE_SIGMAS = 4.0;

  public GaussianKernel {
    if (!(sigmaBins >= 0) || Double.isInfinite(sigmaBins)) {
      throw new IllegalArgumentException("kernel width must be a finite number of bins >= 0: " + sigmaBins);
    }
  }

  /** How many bins either side of the centre carry weight. */
  public int radius() {
    return sigmaBins == 0 ? 0 : (int) Math.ceil(TRUNCATE_SIGMAS * sigmaBins);
  }

  /** The edge-normalized weights {@code w(t, u)} for a trial of {@code nBins} bins, row t at {@code t * nBins}. */
  public double[] weights(int nBins) {
    return weights(nBins, false);
  }

  /**
   * The same weights with {@code w(t, t) = 0} and each row renormalized: the estimate at bin t from
   * the other bins only, for leave-one-bin-out cross-validation. Needs {@code sigmaBins > 0} and at
   * least two bins.
   */
  public double[] leaveOneOutWeights(int nBins) {
    if (sigmaBins == 0 || nBins < 2) {
      throw new IllegalArgumentException("leave-one-bin-out smoothing needs sigma > 0 and >= 2 bins; got sigma "
          + sigmaBins + ", " + nBins + " bins");
    }
    return weights(nBins, true);
  }

  private double[] weights(int nBins, boolean leaveOut) {
    if (nBins < 1) {
      throw new IllegalArgumentException("a trial needs at least one bin: " + nBins);
    }
    int r = radius();
    double[] w = new double[nBins * nBins];
    for (int t = 0; t < nBins; t++) {
      double sum = 0;
      for (int u = Math.max(0, t - r); u <= Math.min(nBins - 1, t + r); u++) {
        if (leaveOut && u == t) {
          continue;
        }
        double d = t - u;
        double v = sigmaBins == 0 ? 1.0 : Math.exp(-d * d / (2 * sigmaBins * sigmaBins));
        w[t * nBins + u] = v;
        sum += v;
      }
      for (int u = 0; u < nBins; u++) {
        w[t * nBins + u] /= sum;
      }
    }
    return w;
  }

  /** The smoothed counts, as rates in expected spikes per bin. */
  public Rates smooth(SpikeCounts counts) {
    return new Rates(counts.trials(), counts.bins(), counts.neurons(), counts.binMs(),
        apply(weights(counts.bins()), counts.data(), counts.trials(), counts.bins(), counts.neurons()));
  }

  /** Leave-one-bin-out smoothed counts: bin t estimated from the other bins of its trial. */
  public Rates smoothLeavingOneOut(SpikeCounts counts) {
    return new Rates(counts.trials(), counts.bins(), counts.neurons(), counts.binMs(),
        apply(leaveOneOutWeights(counts.bins()), counts.data(), counts.trials(), counts.bins(), counts.neurons()));
  }

  /** Applies per-trial weights {@code w} (bins x bins) to time-major values. */
  static double[] apply(double[] w, double[] values, int trials, int bins, int neurons) {
    double[] out = new double[values.length];
    for (int tr = 0; tr < trials; tr++) {
      int base = tr * bins * neurons;
      for (int t = 0; t < bins; t++) {
        int dst = base + t * neurons;
        for (int u = 0; u < bins; u++) {
          double wt = w[t * bins + u];
          if (wt == 0) {
            continue;
          }
          int src = base + u * neurons;
          for (int n = 0; n < neurons; n++) {
            out[dst + n] += wt * values[src + n];
          }
        }
      }
    }
    return out;
  }
}
