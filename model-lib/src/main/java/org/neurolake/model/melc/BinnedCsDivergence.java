package org.neurolake.model.melc;

import java.util.Map;

/**
 * Binning (Jozefowicz and Czarnecki 2015): every projection is moved to the centre of its bin of
 * width Δ, and the kernel sums run over pairs of bins (weighted by the bins' class counts) closer
 * than a cutoff; Δ and the cutoff are chosen anew for every projection so that |D - D_exact| ≤ ε.
 * The histogram comes from a {@link HistogramSource}: binned local rows, or one Spark aggregation.
 * The bandwidth H and its gradient are exact ({@link ClassMoments}).
 *
 * <p><b>Bound.</b> Moving both points of a pair by at most Δ/2 changes their distance by at most
 * Δ. For a kept pair (binned distance {@code |d'| ≤ r'}) the log-kernel changes by
 * {@code |d'² - d²|/2H ≤ |d' - d|(|d'| + |d|)/2H ≤ Δ(2r' + Δ)/2H = ρ}, so the kept part of every
 * sum is within a factor {@code e^{±ρ}} of its exact value. A skipped pair has {@code |d'| > r'},
 * so {@code |d| > r' - Δ} and its exact kernel is below {@code δ = exp(-(r' - Δ)²/2H)}. With
 * {@code m} skipped ordered pairs and {@code S~} the binned sum,
 * {@code e^{-ρ} S~ ≤ S ≤ e^{ρ} S~ + mδ}, so {@code |log S - log S~| ≤ ρ + log(1 + mδ/S~)}, and
 * <pre>  |D - D~| ≤ b = Σ_{XY ∈ AA, BB, AB} w_XY (ρ + log(1 + m_XY δ / S~_XY)),   w = 1, 1, 2.</pre>
 * {@link #evaluate} returns this {@code b}. Budget: {@code 4ρ ≤ ε/2} and the skipped pairs the
 * other half, as in {@link DiscardCsDivergence} with {@code η = e^{ε/8} - 1}:
 * {@code δ = η·min(1/|A|, 1/|B|, S~_low/(|A||B|))} with {@code S~_low = exp(-(L_min Δ)²/2H)} the
 * kernel of the closest pair of bins holding different classes; {@code r = sqrt(2H log(1/δ))},
 * {@code r' = r + Δ}, and Δ the root of {@code Δ(2r + 3Δ) = Hε/4} (so that {@code ρ = ε/8}).
 * Since the cross-bin term depends on Δ, Δ is first chosen for the within-class cutoff; when the
 * returned {@code b} exceeds ε, Δ is solved again for the larger cutoff (at most halved) and the
 * histogram rebuilt. The gradient treats each point as sitting at its bin's centre:
 * {@code Σ_bins (dD/dp at the bin) · (the bin's Σx)}, plus the exact bandwidth term.
 */
public final class BinnedCsDivergence implements CsDivergence {
  /** Rebuilds of the histogram with a finer grid before the bound is returned as it is. */
  public static final int MAX_REFINEMENTS = 8;

  /** Where the histogram of a projection comes from. */
  public interface HistogramSource {
    BinnedStatistics histogram(double[] u, double width);
  }

  private final ClassMoments moments;
  private final HistogramSource source;
  private final double gamma;
  private final double epsilon;
  private long histograms;

  public BinnedCsDivergence(ClassMoments moments, HistogramSource source, double gamma, double epsilon) {
    if (!(epsilon > 0 && epsilon <= 1)) {
      throw new IllegalArgumentException("epsilon must be in (0, 1], got " + epsilon);
    }
    this.moments = moments;
    this.source = source;
    this.gamma = gamma;
    this.epsilon = epsilon;
  }

  /** Over local rows. */
  public static BinnedCsDivergence local(LabeledPoints data, double gamma, double epsilon) {
    return new BinnedCsDivergence(ClassMoments.of(data), (u, w) -> BinnedStatistics.of(data, u, w), gamma, epsilon);
  }

  /** How many histograms were built so far (one per evaluation unless the grid was refined). */
  public long histograms() {
    return histograms;
  }

  @Override
  public Evaluation evaluate(double[] u) {
    Bandwidth bw = moments.bandwidth(gamma, u);
    double h = bw.h();
    long nA = bw.a().n();
    long nB = bw.b().n();
    double eta = Math.expm1(epsilon / 8);
    double r0 = Math.sqrt(2 * h * Math.log(1 / (eta * Math.min(1.0 / nA, 1.0 / nB))));
    double width = widthFor(r0, h);
    Evaluation last = null;
    for (int attempt = 0; attempt <= MAX_REFINEMENTS; attempt++) {
      BinnedStatistics stats = source.histogram(u, width);
      histograms++;
      Grid grid = new Grid(stats);
      double lMin = grid.closestCrossLag() * width;
      double sLow = Math.exp(-lMin * lMin / (2 * h));
      double delta = eta * Math.min(Math.min(1.0 / nA, 1.0 / nB), sLow / ((double) nA * nB));
      double r = Math.sqrt(2 * h * Math.log(1 / delta));
      last = grid.evaluate(u, bw, r + width);
      if (last.errorBound() <= epsilon) {
        return last;
      }
      width = Math.min(width / 2, widthFor(r, h));
    }
    return last;
  }

  /** The root of {@code Δ(2r + 3Δ) = Hε/4}. */
  private double widthFor(double r, double h) {
    return (-2 * r + Math.sqrt(4 * r * r + 3 * h * epsilon)) / 6;
  }

  /** The nonempty bins in order, with their class counts. */
  private final class Grid {
    final BinnedStatistics stats;
    final long[] index;
    final double[] cA;
    final double[] cB;
    final double[][] rows;

    Grid(BinnedStatistics stats) {
      this.stats = stats;
      Map<Long, double[]> bins = stats.bins();
      index = bins.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
      cA = new double[index.length];
      cB = new double[index.length];
      rows = new double[index.length][];
      for (int i = 0; i < index.length; i++) {
        rows[i] = bins.get(index[i]);
        cA[i] = rows[i][0];
        cB[i] = rows[i][1];
      }
    }

    /** The fewest bins between a bin holding class A and one holding class B (0 when one bin holds both). */
    long closestCrossLag() {
      long best = Long.MAX_VALUE;
      long lastA = Long.MIN_VALUE;
      long lastB = Long.MIN_VALUE;
      for (int i = 0; i < index.length; i++) {
        if (cA[i] > 0 && cB[i] > 0) {
          return 0;
        }
        if (cA[i] > 0) {
          if (lastB != Long.MIN_VALUE) {
            best = Math.min(best, index[i] - lastB);
          }
          lastA = index[i];
        } else {
          if (lastA != Long.MIN_VALUE) {
            best = Math.min(best, index[i] - lastA);
          }
          lastB = index[i];
        }
      }
      return best;
    }

    Evaluation evaluate(double[] u, Bandwidth bw, double cutoff) {
      double h = bw.h();
      double width = stats.width();
      long window = (long) Math.floor(cutoff / width);
      int n = index.length;
      double[] kernel = new double[(int) Math.min(window, index[n - 1] - index[0]) + 1];
      for (int l = 0; l < kernel.length; l++) {
        double d = l * width;
        kernel[l] = Math.exp(-d * d / (2 * h));
      }
      double sAA = 0, sBB = 0, sAB = 0, tAA = 0, tBB = 0, tAB = 0;
      double countedAA = 0, countedBB = 0, countedAB = 0;
      double[] fSameA = new double[n], fSameB = new double[n], fCrossA = new double[n], fCrossB = new double[n];
      for (int i = 0; i < n; i++) {
        double ai = cA[i], bi = cB[i];
        sAA += ai * ai;
        sBB += bi * bi;
        sAB += ai * bi;
        countedAA += ai * ai;
        countedBB += bi * bi;
        countedAB += ai * bi;
        for (int j = i + 1; j < n && index[j] - index[i] <= window; j++) {
          double aj = cA[j], bj = cB[j];
          double k = kernel[(int) (index[j] - index[i])];
          double d = -(index[j] - index[i]) * width;
          double kd = k * d;
          double kdd = kd * d;
          double aa = 2 * ai * aj, bb = 2 * bi * bj, ab = ai * bj + bi * aj;
          sAA += aa * k;
          sBB += bb * k;
          sAB += ab * k;
          tAA += aa * kdd;
          tBB += bb * kdd;
          tAB += ab * kdd;
          countedAA += aa;
          countedBB += bb;
          countedAB += ab;
          fSameA[i] += aj * kd;
          fSameA[j] -= ai * kd;
          fSameB[i] += bj * kd;
          fSameB[j] -= bi * kd;
          fCrossA[i] += bj * kd;
          fCrossA[j] -= bi * kd;
          fCrossB[i] += aj * kd;
          fCrossB[j] -= ai * kd;
        }
      }
      double value = Math.log(sAA) + Math.log(sBB) - 2 * Math.log(sAB);
      double h2 = 2 * h * h;
      double dDdH = tAA / (h2 * sAA) + tBB / (h2 * sBB) - 2 * tAB / (h2 * sAB);
      int dims = stats.dims();
      double[] g = moments.bandwidthGradient(bw, u);
      for (int j = 0; j < dims; j++) {
        g[j] *= dDdH;
      }
      for (int i = 0; i < n; i++) {
        double gA = -(2 / h) * (fSameA[i] / sAA - fCrossA[i] / sAB);
        double gB = -(2 / h) * (fSameB[i] / sBB - fCrossB[i] / sAB);
        double[] row = rows[i];
        for (int j = 0; j < dims; j++) {
          g[j] += gA * row[2 + j] + gB * row[2 + dims + j];
        }
      }
      double nA = bw.a().n(), nB = bw.b().n();
      double rho = width * (2 * cutoff + width) / (2 * h);
      double skippedKernel = cutoff > width ? Math.exp(-(cutoff - width) * (cutoff - width) / (2 * h)) : 1.0;
      double bound = 4 * rho + Math.log1p(Math.max(0, nA * nA - countedAA) * skippedKernel / sAA)
          + Math.log1p(Math.max(0, nB * nB - countedBB) * skippedKernel / sBB)
          + 2 * Math.log1p(Math.max(0, nA * nB - countedAB) * skippedKernel / sAB);
      return new Evaluation(value, g, bound);
    }
  }

}
