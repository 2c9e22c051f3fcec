package org.neurolake.pipelines.spikes;

/**
 * Binning of spikes into counts. A trial of duration D ms binned at w ms has ceil(D / w) bins;
 * the last bin may be shorter than w, so that no spike is lost: per-neuron totals after binning
 * equal the raw counts.
 */
public final class SpikeBinning {
  private SpikeBinning() {}

  private static final double EPS = 1e-9;

  public static int nBins(double durationMs, double binMs) {
    requirePositive(binMs);
    return (int) Math.ceil(durationMs / binMs - EPS);
  }

  /** The bin of a spike at {@code tMs} from the trial start; the caller checks 0 <= t < duration. */
  public static int binOf(double tMs, double binMs) {
    return (int) Math.floor(tMs / binMs + EPS);
  }

  /**
   * Re-bins a neuron-major count matrix recorded at {@code sourceBinMs} to {@code binMs}, which must
   * be a whole multiple of it. The result has ceil(nSourceBins / factor) bins.
   */
  public static int[] rebin(int[] counts, int nNeurons, int nSourceBins, double sourceBinMs, double binMs) {
    int factor = factor(sourceBinMs, binMs);
    int nBins = (nSourceBins + factor - 1) / factor;
    int[] out = new int[nNeurons * nBins];
    for (int n = 0; n < nNeurons; n++) {
      int src = n * nSourceBins;
      int dst = n * nBins;
      for (int t = 0; t < nSourceBins; t++) {
        out[dst + t / factor] += counts[src + t];
      }
    }
    return out;
  }

  /** How many source bins make one output bin; throws unless binMs is a whole multiple of sourceBinMs. */
  public static int factor(double sourceBinMs, double binMs) {
    requirePositive(sourceBinMs);
    requirePositive(binMs);
    double f = binMs / sourceBinMs;
    long r = Math.round(f);
    if (r < 1 || Math.abs(f - r) > 1e-6) {
      throw new IllegalArgumentException("bin width " + binMs + " ms is not a whole multiple of the recording's "
          + sourceBinMs + " ms resolution");
    }
    return (int) r;
  }

  private static void requirePositive(double binMs) {
    if (!(binMs > 0) || Double.isInfinite(binMs)) {
      throw new IllegalArgumentException("bin width must be a positive number of ms: " + binMs);
    }
  }
}
