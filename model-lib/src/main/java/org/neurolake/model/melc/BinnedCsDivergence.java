package org.neurolake.model.melc;

import java.util.Arrays;
import java.util.Map;

/**
 * Binning (Jozefowicz and Czarnecki 2015) with linear binning: every projection {@code p} is split
 * between the two grid nodes around it, {@code bΔ} and {@code (b+1)Δ} ({@code b = floor(p/Δ)},
 * {@code f = p/Δ - b}), with masses {@code 1 - f} and {@code f}; the kernel sums run over pairs of
 * nodes (weighted by the nodes' class masses) at most {@code W} nodes apart. Δ and W are chosen anew
 * for every projection so that |D - D_exact| ≤ ε. The histogram comes from a
 * {@link HistogramSource}: binned local rows, or one Spark aggregation. The bandwidth H and its
 * gradient are exact ({@link ClassMoments}).
 *
 * <p><b>Why linear binning.</b> Moving each point to its bin's centre makes D~ piecewise constant
 * in u (it jumps when a point crosses a bin edge), so no gradient is the gradient of the value, and
 * Breeze's strong-Wolfe line search, seeing values that disagree with the slopes, failed ("Line
 * search zoom failed", "Failure again! Giving up"). With linear binning the masses are continuous
 * and piecewise linear in p, and Δ = c√H (c fixed by n, ε and the grid's discrete state), so the
 * node kernel {@code exp(-L²Δ²/2H) = exp(-L²c²/2)} does not move with u: D~ depends on u only
 * through {@code q_i = p_i/Δ}, and {@link #evaluate} returns its exact gradient
 * {@code Σ_i ∂D~/∂q_i (x_i/Δ - q_i ∇H/2H)}, where {@code ∂D~/∂q_i} depends only on i's bin and
 * class (differences of the node-smoothed densities at b+1 and b), so per-bin sums of x and of q
 * suffice. (D~ still jumps where W or the refinement changes, by at most the truncated mass.)
 *
 * <p><b>Bound.</b> Per point the node displacement ξ is zero-mean on an interval of length Δ, so
 * for a pair at distance d the binned term is {@code E K(d + ξ_i - ξ_j)} with independent ξ's.
 * Jensen (log K concave): {@code E K ≥ K(d) e^{-Eξ²/2H} ≥ K(d) e^{-ρL}}, {@code ρL = Δ²/4H}.
 * {@code K(d+ξ) ≤ K(d) e^{-dξ/H}} and Hoeffding's lemma: {@code E K ≤ K(d) e^{d²Δ²/4H²}}; for
 * {@code |d| ≤ R = (W+3)Δ} that is {@code e^{ρU}}, {@code ρU = R²Δ²/4H²}, and a pair with
 * {@code |d| > R} has a binned term below {@code κ = exp(-((W+1)Δ)²/2H)}, the kernel of the nearest
 * skipped node lag. With {@code S~} the truncated sum, {@code N = |X||Y|} and {@code M} the skipped
 * node-pair mass: {@code e^{-ρU}(S~ - Nκ) ≤ S ≤ e^{ρL}(S~ + Mκ)}, so
 * <pre>  |log S - log S~| ≤ b_XY = max(ρL + log(1 + Mκ/S~), ρU - log(1 - Nκ/S~)),
 *   |D - D~| ≤ b = b_AA + b_BB + 2 b_AB,</pre>
 * which {@link #evaluate} returns. Budget a priori: ρU ≤ ε/8 (ρL ≤ ρU) and the truncation terms
 * ε/8, with {@code η = 1 - e^{-ε/8}}: {@code δ = η·min(1/|A|, 1/|B|, S~_low/(|A||B|))},
 * {@code S~_low = exp(-(L_min Δ)²/2H)} for the closest pair of nodes holding different classes,
 * {@code r = sqrt(2H log(1/δ))}, {@code W = floor(r/Δ) + 1} and Δ the root of
 * {@code (r + 4Δ)Δ = H sqrt(ε/2)}. Since the cross term depends on Δ, Δ is first chosen for the
 * within-class cutoff; when the returned {@code b} exceeds ε, Δ is solved again for the larger
 * cutoff (at most halved) and the histogram rebuilt. The second-order ρU lets Δ be far wider than
 * nearest-bin rounding allows (there {@code ρ ≈ rΔ/H}).
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
    double eta = -Math.expm1(-epsilon / 8);
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
      last = grid.evaluate(u, bw, (long) Math.floor(r / width) + 1);
      if (last.errorBound() <= epsilon) {
        return last;
      }
      width = Math.min(width / 2, widthFor(r, h));
    }
    return last;
  }

  /** The root of {@code (r + 4Δ)Δ = H sqrt(ε/2)} (so that {@code ρU ≤ ε/8}). */
  private double widthFor(double r, double h) {
    return (-r + Math.sqrt(r * r + 16 * h * Math.sqrt(epsilon / 2))) / 8;
  }

  /** The nonempty bins in order with their class counts, and the grid nodes with their class masses. */
  private final class Grid {
    final BinnedStatistics stats;
    final long[] index;
    final double[][] rows;
    /** Nodes: the bins' indices and those plus one, in order; class masses there. */
    final long[] node;
    final double[] mA;
    final double[] mB;
    /** Per bin, the position of its nodes b and b+1 in {@link #node}. */
    final int[] lower;

    Grid(BinnedStatistics stats) {
      this.stats = stats;
      int dims = stats.dims();
      Map<Long, double[]> bins = stats.bins();
      index = bins.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
      rows = new double[index.length][];
      long[] nodes = new long[2 * index.length];
      int count = 0;
      for (int i = 0; i < index.length; i++) {
        rows[i] = bins.get(index[i]);
        if (count == 0 || nodes[count - 1] != index[i]) {
          nodes[count++] = index[i];
        }
        nodes[count++] = index[i] + 1;
      }
      node = Arrays.copyOf(nodes, count);
      mA = new double[count];
      mB = new double[count];
      lower = new int[index.length];
      int at = 0;
      for (int i = 0; i < index.length; i++) {
        while (node[at] != index[i]) {
          at++;
        }
        lower[i] = at;
        double[] row = rows[i];
        double fA = row[2 + 2 * dims];
        double fB = row[3 + 2 * dims];
        mA[at] += row[0] - fA;
        mA[at + 1] += fA;
        mB[at] += row[1] - fB;
        mB[at + 1] += fB;
      }
    }

    /** The fewest nodes between one holding class A mass and one holding class B mass (0 when one holds both). */
    long closestCrossLag() {
      long best = Long.MAX_VALUE;
      long lastA = Long.MIN_VALUE;
      long lastB = Long.MIN_VALUE;
      for (int i = 0; i < node.length; i++) {
        boolean a = mA[i] > 0;
        boolean b = mB[i] > 0;
        if (a && b) {
          return 0;
        }
        if (a) {
          if (lastB != Long.MIN_VALUE) {
            best = Math.min(best, node[i] - lastB);
          }
          lastA = node[i];
        } else if (b) {
          if (lastA != Long.MIN_VALUE) {
            best = Math.min(best, node[i] - lastA);
          }
          lastB = node[i];
        }
      }
      return best;
    }

    /** D~, its gradient and its certified bound with node pairs at most {@code window} nodes apart. */
    Evaluation evaluate(double[] u, Bandwidth bw, long window) {
      double h = bw.h();
      double width = stats.width();
      int n = node.length;
      double[] kernel = new double[(int) Math.min(window, node[n - 1] - node[0]) + 1];
      for (int l = 0; l < kernel.length; l++) {
        double d = l * width;
        kernel[l] = Math.exp(-d * d / (2 * h));
      }
      // F_X(a) = Σ_b m_X(b) K((a-b)Δ) over |a-b| ≤ window, and the masses counted there.
      double[] fA = new double[n], fB = new double[n], cA = new double[n], cB = new double[n];
      for (int i = 0; i < n; i++) {
        fA[i] += mA[i];
        fB[i] += mB[i];
        cA[i] += mA[i];
        cB[i] += mB[i];
        for (int j = i + 1; j < n && node[j] - node[i] <= window; j++) {
          double k = kernel[(int) (node[j] - node[i])];
          fA[i] += mA[j] * k;
          fA[j] += mA[i] * k;
          fB[i] += mB[j] * k;
          fB[j] += mB[i] * k;
          cA[i] += mA[j];
          cA[j] += mA[i];
          cB[i] += mB[j];
          cB[j] += mB[i];
        }
      }
      double sAA = 0, sBB = 0, sAB = 0, countedAA = 0, countedBB = 0, countedAB = 0;
      for (int i = 0; i < n; i++) {
        sAA += mA[i] * fA[i];
        sBB += mB[i] * fB[i];
        sAB += mA[i] * fB[i];
        countedAA += mA[i] * cA[i];
        countedBB += mB[i] * cB[i];
        countedAB += mA[i] * cB[i];
      }
      double value = Math.log(sAA) + Math.log(sBB) - 2 * Math.log(sAB);
      // dD~/dq for a point of each class in bin index[i]; q = p/Δ, Δ ∝ √H.
      int dims = stats.dims();
      double[] g = new double[dims];
      double qTerm = 0;
      for (int i = 0; i < index.length; i++) {
        int lo = lower[i];
        double dA = fA[lo + 1] - fA[lo];
        double dB = fB[lo + 1] - fB[lo];
        double gA = 2 * dA / sAA - 2 * dB / sAB;
        double gB = 2 * dB / sBB - 2 * dA / sAB;
        double[] row = rows[i];
        for (int j = 0; j < dims; j++) {
          g[j] += (gA * row[2 + j] + gB * row[2 + dims + j]) / width;
        }
        double qA = row[0] * index[i] + row[2 + 2 * dims];
        double qB = row[1] * index[i] + row[3 + 2 * dims];
        qTerm += gA * qA + gB * qB;
      }
      double[] dH = moments.bandwidthGradient(bw, u);
      for (int j = 0; j < dims; j++) {
        g[j] -= qTerm * dH[j] / (2 * h);
      }
      double nA = bw.a().n(), nB = bw.b().n();
      double skipped = Math.exp(-(window + 1) * width * (window + 1) * width / (2 * h));
      double reach = (window + 3) * width;
      double rhoUp = reach * reach * width * width / (4 * h * h);
      double rhoLow = width * width / (4 * h);
      double bound = term(sAA, nA * nA, countedAA, skipped, rhoLow, rhoUp)
          + term(sBB, nB * nB, countedBB, skipped, rhoLow, rhoUp)
          + 2 * term(sAB, nA * nB, countedAB, skipped, rhoLow, rhoUp);
      return new Evaluation(value, g, bound);
    }
  }

  /** {@code b_XY = max(ρL + log(1 + Mκ/S~), ρU - log(1 - Nκ/S~))}; infinite when Nκ ≥ S~. */
  private static double term(double s, double pairs, double counted, double skipped, double rhoLow, double rhoUp) {
    double below = pairs * skipped / s;
    if (below >= 1) {
      return Double.POSITIVE_INFINITY;
    }
    return Math.max(rhoLow + Math.log1p(Math.max(0, pairs - counted) * skipped / s), rhoUp - Math.log1p(-below));
  }

}
