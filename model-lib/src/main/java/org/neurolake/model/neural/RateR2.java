package org.neurolake.model.neural;

/**
 * Coefficient of determination between inferred and true firing rates (both {@link Rates} of the
 * same shape; the unit cancels as long as both use the same one).
 *
 * <p>The LFADS paper reports "R^2 between inferred and true rates" for the synthetic data without
 * a formula we could check, so two definitions are given and callers say which they report:
 *
 * <ul>
 *   <li>{@link #meanOverNeurons}: for each neuron, {@code 1 - SS_res / SS_tot} over all of its
 *       (trial, bin) samples, {@code SS_tot} about that neuron's own mean; then the mean over
 *       neurons (scikit-learn's {@code r2_score} with {@code multioutput="uniform_average"} on
 *       samples x neurons). The primary figure: every neuron counts equally.
 *   <li>{@link #pooled}: all (trial, bin, neuron) values as one sample, {@code SS_tot} about the
 *       grand mean. Higher than the per-neuron mean when neurons differ in mean rate, because
 *       getting each neuron's mean right already explains variance.
 * </ul>
 *
 * A neuron whose true rate is constant has no variance to explain; {@link #perNeuron} rejects it
 * rather than invent a value.
 */
public final class RateR2 {
  private RateR2() {}

  /** Each neuron's R^2 over its (trial, bin) samples. */
  public static double[] perNeuron(Rates inferred, Rates truth) {
    requireSameShape(inferred, truth);
    int n = truth.neurons();
    double[] p = inferred.data();
    double[] t = truth.data();
    double[] mean = new double[n];
    for (int i = 0; i < t.length; i++) {
      mean[i % n] += t[i];
    }
    double samples = (double) truth.trials() * truth.bins();
    for (int j = 0; j < n; j++) {
      mean[j] /= samples;
    }
    double[] res = new double[n];
    double[] tot = new double[n];
    for (int i = 0; i < t.length; i++) {
      int j = i % n;
      double e = t[i] - p[i];
      double d = t[i] - mean[j];
      res[j] += e * e;
      tot[j] += d * d;
    }
    double[] r2 = new double[n];
    for (int j = 0; j < n; j++) {
      if (!(tot[j] > 0)) {
        throw new IllegalArgumentException("R^2 is undefined for neuron " + j + ": its true rate is constant");
      }
      r2[j] = 1 - res[j] / tot[j];
    }
    return r2;
  }

  /** The mean over neurons of {@link #perNeuron}. */
  public static double meanOverNeurons(Rates inferred, Rates truth) {
    double[] r2 = perNeuron(inferred, truth);
    if (r2.length == 0) {
      throw new IllegalArgumentException("R^2 over zero neurons is undefined");
    }
    double s = 0;
    for (double v : r2) {
      s += v;
    }
    return s / r2.length;
  }

  /** R^2 of all values as one sample about the grand mean. */
  public static double pooled(Rates inferred, Rates truth) {
    requireSameShape(inferred, truth);
    double[] p = inferred.data();
    double[] t = truth.data();
    if (t.length == 0) {
      throw new IllegalArgumentException("R^2 of empty rates is undefined");
    }
    double mean = 0;
    for (double v : t) {
      mean += v;
    }
    mean /= t.length;
    double res = 0;
    double tot = 0;
    for (int i = 0; i < t.length; i++) {
      res += (t[i] - p[i]) * (t[i] - p[i]);
      tot += (t[i] - mean) * (t[i] - mean);
    }
    if (!(tot > 0)) {
      throw new IllegalArgumentException("R^2 is undefined: the true rates are constant");
    }
    return 1 - res / tot;
  }

  private static void requireSameShape(Rates inferred, Rates truth) {
    if (!inferred.sameShape(truth)) {
      throw new IllegalArgumentException("inferred " + inferred + " and true " + truth
          + " differ in shape or bin width");
    }
  }
}
