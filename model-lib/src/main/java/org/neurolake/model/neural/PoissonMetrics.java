package org.neurolake.model.neural;

import org.apache.commons.math3.special.Gamma;

/**
 * Poisson likelihood metrics of predicted rates against observed counts, as the Neural Latents
 * Benchmark computes them ({@code nlb_tools/evaluation.py}: {@code neg_log_likelihood},
 * {@code bits_per_spike}). Rates are expected spikes per bin (see {@link Rates}).
 *
 * <ul>
 *   <li>Poisson log-likelihood, summed over trials, bins and neurons:
 *       {@code LL(r) = sum y log r - r - log(y!)}.
 *   <li>Rate floor: a predicted rate of exactly 0 is replaced by {@value #ZERO_RATE} before the
 *       logarithm, as NLB does; negative rates are rejected (NLB asserts they do not occur, and
 *       {@link Rates} cannot hold them). A positive rate below the floor is used as is.
 *   <li>Bits per spike (co-bps when applied to held-out neurons on evaluation trials):
 *       {@code (LL(r) - LL(null)) / (sum y * ln 2)}, where the null model predicts, for every
 *       trial and bin, the neuron's mean count per bin over the data being scored.
 * </ul>
 */
public final class PoissonMetrics {
  private PoissonMetrics() {}

  /** What NLB substitutes for a predicted rate of exactly zero. */
  public static final double ZERO_RATE = 1e-9;

  /** The Poisson log-likelihood of the counts under the rates (natural log, summed). */
  public static double logLikelihood(Rates predicted, SpikeCounts observed) {
    requireSameShape(predicted, observed);
    double[] r = predicted.data();
    double[] y = observed.data();
    double ll = 0;
    for (int i = 0; i < y.length; i++) {
      ll += term(r[i], y[i]) - Gamma.logGamma(y[i] + 1.0);
    }
    return ll;
  }

  /** The null model of {@link #bitsPerSpike}: each neuron's mean count per bin, in every trial and bin. */
  public static Rates nullRates(SpikeCounts observed) {
    double[] y = observed.data();
    int n = observed.neurons();
    double[] mean = observed.neuronTotals();
    double samples = (double) observed.trials() * observed.bins();
    for (int j = 0; j < n; j++) {
      mean[j] /= samples;
    }
    double[] out = new double[y.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = mean[i % n];
    }
    return new Rates(observed.trials(), observed.bins(), n, observed.binMs(), out);
  }

  /**
   * NLB's bits per spike: the log-likelihood gain of the rates over the per-neuron-mean null model,
   * in bits, per observed spike. 0 for the null model itself; negative when the rates predict worse
   * than the mean. Throws when the counts hold no spike (the quantity is undefined).
   */
  public static double bitsPerSpike(Rates predicted, SpikeCounts observed) {
    requireSameShape(predicted, observed);
    double total = observed.totalSpikes();
    if (!(total > 0)) {
      throw new IllegalArgumentException("bits per spike is undefined: the " + observed + " hold no spike");
    }
    double[] r = predicted.data();
    double[] nul = nullRates(observed).data();
    double[] y = observed.data();
    double gain = 0; // log(y!) cancels between the two likelihoods
    for (int i = 0; i < y.length; i++) {
      gain += term(r[i], y[i]) - term(nul[i], y[i]);
    }
    return gain / (total * Math.log(2));
  }

  /** {@code y log r - r} with NLB's zero-rate substitution. */
  private static double term(double rate, double y) {
    double r = rate == 0 ? ZERO_RATE : rate;
    return y == 0 ? -r : y * Math.log(r) - r;
  }

  private static void requireSameShape(Rates predicted, SpikeCounts observed) {
    if (!predicted.sameShape(observed)) {
      throw new IllegalArgumentException("predicted " + predicted + " and observed " + observed
          + " differ in shape or bin width");
    }
  }
}
