package org.neurolake.model.melc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Both approximations stay within the bound they certify, and that bound within ε, on random data
 * for many ε and n (overlapping and well-separated classes, random directions).
 */
class ApproximationBoundTest {
  private static final double[] EPSILONS = {0.5, 0.2, 0.05, 0.01, 0.001};
  private static final int[] SIZES = {12, 60, 300, 1500};
  private static final double[] SHIFTS = {0.0, 1.0, 6.0};

  @Test
  void discardAndBinnedStayWithinTheirBounds() {
    Random r = new Random(17);
    int checked = 0;
    double worstRatio = 0;
    for (int n : SIZES) {
      for (double shift : SHIFTS) {
        LabeledPoints data = MelcFixtures.gaussian(n, 3, shift, n * 31L + (long) shift);
        double gamma = 0.5 + r.nextDouble();
        ExactCsDivergence exact = new ExactCsDivergence(data, gamma);
        for (int k = 0; k < 2; k++) {
          double[] u = MelcFixtures.randomUnit(3, r);
          double truth = exact.evaluate(u).value();
          for (double eps : EPSILONS) {
            for (CsDivergence approx : new CsDivergence[] {new DiscardCsDivergence(data, gamma, eps),
                BinnedCsDivergence.local(data, gamma, eps)}) {
              CsDivergence.Evaluation e = approx.evaluate(u);
              double err = Math.abs(e.value() - truth);
              String where = approx.getClass().getSimpleName() + " n=" + n + " shift=" + shift + " eps=" + eps;
              assertTrue(err <= e.errorBound() + 1e-9 * (1 + Math.abs(truth)),
                  where + ": error " + err + " > certified bound " + e.errorBound());
              assertTrue(e.errorBound() <= eps, where + ": bound " + e.errorBound() + " > eps");
              worstRatio = Math.max(worstRatio, err / eps);
              checked++;
            }
          }
        }
      }
    }
    assertTrue(checked == SIZES.length * SHIFTS.length * 2 * EPSILONS.length * 2);
    assertTrue(worstRatio <= 1, "worst error/eps " + worstRatio);
  }
}
