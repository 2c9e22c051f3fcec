package org.neurolake.model.melc;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Finds MELC's direction: Breeze's L-BFGS on {@link SphereObjective} from {@code randomStarts}
 * seeded random unit vectors plus the caller's start (a linear SVM's weights) when given, keeping
 * the start that reaches the largest divergence.
 */
public final class MelcTrainer {
  private MelcTrainer() {}

  /**
   * The best direction found.
   *
   * @param u unit direction
   * @param divergence D at u as the objective evaluated it
   * @param starts L-BFGS runs made
   * @param evaluations objective evaluations over all starts
   * @param worstBound the largest certified error bound of any evaluation (0 when exact)
   */
  public record Direction(double[] u, double divergence, int starts, long evaluations, double worstBound) {}

  /** Trains the direction on local rows with the spec's objective, then the prediction rule. */
  public static MelcClassifier fit(LabeledPoints data, MelcSpec spec, double[] extraStart) {
    Direction d = direction(spec.objective(data), spec, extraStart);
    return MelcClassifier.fit(data, d.u(), spec.gamma(), spec.priors());
  }

  /** L-BFGS from every start on {@code objective} (local or distributed); the best direction. */
  public static Direction direction(CsDivergence objective, MelcSpec spec, double[] extraStart) {
    List<double[]> starts = new ArrayList<>();
    Random random = new Random(spec.seed());
    for (int s = 0; s < spec.randomStarts(); s++) {
      double[] w = new double[spec.dims()];
      for (int i = 0; i < w.length; i++) {
        w[i] = random.nextGaussian();
      }
      starts.add(unit(w));
    }
    if (extraStart != null) {
      if (extraStart.length != spec.dims()) {
        throw new IllegalArgumentException("the extra start has " + extraStart.length + " weights, not " + spec.dims());
      }
      starts.add(unit(extraStart.clone()));
    }
    if (starts.isEmpty()) {
      throw new IllegalArgumentException("no start: randomStarts is 0 and no extra start was given");
    }
    SphereObjective sphere = new SphereObjective(objective, spec.lambda());
    BreezeLbfgs lbfgs = new BreezeLbfgs(spec.maxIterations(), spec.tolerance());
    double[] best = null;
    double bestValue = Double.NEGATIVE_INFINITY;
    for (double[] start : starts) {
      BreezeLbfgs.Result r = lbfgs.minimize(sphere, start);
      double[] u = unit(r.w());
      double value = objective.evaluate(u).value();
      if (best == null || value > bestValue) {
        best = u;
        bestValue = value;
      }
    }
    return new Direction(best, bestValue, starts.size(), sphere.evaluations(), sphere.worstBound());
  }

  static double[] unit(double[] w) {
    double norm = Math.sqrt(LabeledPoints.dot(w, w));
    if (!(norm > 0) || Double.isInfinite(norm)) {
      throw new IllegalArgumentException("cannot normalize a direction of norm " + norm);
    }
    for (int i = 0; i < w.length; i++) {
      w[i] /= norm;
    }
    return w;
  }
}
