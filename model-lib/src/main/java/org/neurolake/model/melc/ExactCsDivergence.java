package org.neurolake.model.melc;

/** The exact objective: every pair's kernel, O(n²) per evaluation. */
public final class ExactCsDivergence implements CsDivergence {
  private final LabeledPoints data;
  private final double gamma;

  public ExactCsDivergence(LabeledPoints data, double gamma) {
    this.data = data;
    this.gamma = gamma;
  }

  @Override
  public Evaluation evaluate(double[] u) {
    double[] p = data.project(u);
    Bandwidth bw = data.bandwidth(gamma, p);
    double h = bw.h();
    PairSums sums = new PairSums(h, data.y(), bw.a().n(), bw.b().n());
    double inv2h = 1 / (2 * h);
    for (int i = 0; i < p.length; i++) {
      for (int j = i + 1; j < p.length; j++) {
        double d = p[i] - p[j];
        sums.add(i, j, d, Math.exp(-d * d * inv2h));
      }
    }
    return new Evaluation(sums.value(), data.gradient(sums.dValueDp(), sums.dValueDh(), bw, p), 0.0);
  }
}
