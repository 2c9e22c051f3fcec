package org.neurolake.model.melc;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Sort-and-discard (Jozefowicz and Czarnecki 2015): sort the projections and sum only the pairs
 * closer than a cutoff {@code r}, chosen anew for every projection so that |D - D_exact| ≤ ε.
 *
 * <p><b>Bound.</b> A skipped pair has {@code |d| > r}, so its kernel is below
 * {@code δ = exp(-r²/2H)}. If {@code m} of the ordered pairs of {@code S(X,Y)} are skipped, the
 * truncated sum {@code S'} satisfies {@code S' ≤ S ≤ S' + mδ}, hence
 * {@code 0 ≤ log S - log S' ≤ log(1 + mδ/S')}. D weighs the three logs 1, 1 and -2, so
 * <pre>  |D - D'| ≤ b = log(1 + m_AA δ/S'_AA) + log(1 + m_BB δ/S'_BB) + 2 log(1 + m_AB δ/S'_AB).</pre>
 * This {@code b} is what {@link #evaluate} returns as the certified bound. To make {@code b ≤ ε} a
 * priori, each of the four log terms gets {@code ε/4}: with {@code η = e^{ε/4} - 1} it suffices that
 * {@code m δ ≤ η S'} per sum. Since {@code S'_AA ≥ |A|} (the diagonal), {@code m_AA ≤ |A|²}, and
 * {@code S'_AB ≥ exp(-d_min²/2H)} where {@code d_min} is the closest cross-class pair (always kept,
 * found in one pass over the sorted projections), the choice
 * <pre>  δ = η · min(1/|A|, 1/|B|, exp(-d_min²/2H)/(|A||B|)),   r = sqrt(2H log(1/δ))</pre>
 * gives {@code b ≤ 4 log(1 + η) = ε}. The gradient is that of the truncated sum (r held fixed).
 */
public final class DiscardCsDivergence implements CsDivergence {
  private final LabeledPoints data;
  private final double gamma;
  private final double epsilon;

  public DiscardCsDivergence(LabeledPoints data, double gamma, double epsilon) {
    if (!(epsilon > 0 && epsilon <= 1)) {
      throw new IllegalArgumentException("epsilon must be in (0, 1], got " + epsilon);
    }
    this.data = data;
    this.gamma = gamma;
    this.epsilon = epsilon;
  }

  @Override
  public Evaluation evaluate(double[] u) {
    double[] p = data.project(u);
    int[] y = data.y();
    Bandwidth bw = data.bandwidth(gamma, p);
    double h = bw.h();
    long nA = bw.a().n();
    long nB = bw.b().n();
    int[] order = IntStream.range(0, p.length).boxed().sorted(Comparator.comparingDouble(i -> p[i]))
        .mapToInt(Integer::intValue).toArray();
    // The pair loop runs over the projections and labels in sorted order (contiguous reads).
    double[] ps = new double[order.length];
    int[] ys = new int[order.length];
    for (int s = 0; s < order.length; s++) {
      ps[s] = p[order[s]];
      ys[s] = y[order[s]];
    }
    double dMin = Double.POSITIVE_INFINITY;
    for (int s = 1; s < ps.length; s++) {
      if (ys[s] != ys[s - 1]) {
        dMin = Math.min(dMin, ps[s] - ps[s - 1]);
      }
    }
    double eta = Math.expm1(epsilon / 4);
    double inv2h = 1 / (2 * h);
    double delta = eta * Math.min(Math.min(1.0 / nA, 1.0 / nB), Math.exp(-dMin * dMin * inv2h) / ((double) nA * nB));
    double r = Math.sqrt(2 * h * Math.log(1 / delta));
    PairSums sums = new PairSums(h, ys, nA, nB);
    for (int s = 0; s < ps.length; s++) {
      double pi = ps[s];
      for (int t = s + 1; t < ps.length && ps[t] - pi <= r; t++) {
        double d = pi - ps[t];
        sums.add(s, t, d, Math.exp(-d * d * inv2h));
      }
    }
    double[] sortedDp = sums.dValueDp();
    double[] dp = new double[p.length];
    for (int s = 0; s < order.length; s++) {
      dp[order[s]] = sortedDp[s];
    }
    double bound = Math.log1p((nA * nA - sums.countedAA) * delta / sums.sAA)
        + Math.log1p((nB * nB - sums.countedBB) * delta / sums.sBB)
        + 2 * Math.log1p((nA * nB - sums.countedAB) * delta / sums.sAB);
    return new Evaluation(sums.value(), data.gradient(dp, sums.dValueDh(), bw, p), bound);
  }

}
