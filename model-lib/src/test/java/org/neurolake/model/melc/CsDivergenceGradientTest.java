package org.neurolake.model.melc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The analytic gradients against central finite differences in double precision. */
class CsDivergenceGradientTest {
  private static final double STEP = 1e-6;

  @Test
  void exactGradientMatchesFiniteDifferences() {
    Random r = new Random(3);
    for (long seed = 1; seed <= 3; seed++) {
      LabeledPoints data = MelcFixtures.gaussian(60, 4, 0.8, seed);
      ExactCsDivergence d = new ExactCsDivergence(data, 0.7);
      double[] u = MelcFixtures.randomUnit(4, r);
      double[] g = d.evaluate(u).gradient();
      for (int i = 0; i < u.length; i++) {
        double fd = (d.evaluate(shifted(u, i, STEP)).value() - d.evaluate(shifted(u, i, -STEP)).value()) / (2 * STEP);
        assertEquals(fd, g[i], 1e-6 * (1 + Math.abs(fd)), "dD/du_" + i + " seed " + seed);
      }
    }
  }

  @Test
  void sphereObjectiveGradientMatchesFiniteDifferences() {
    LabeledPoints data = MelcFixtures.gaussian(50, 3, 1.0, 7);
    SphereObjective f = new SphereObjective(new ExactCsDivergence(data, 1.0), 0.5);
    double[] w = {0.9, -0.7, 0.4};
    double[] g = new double[3];
    f.valueAndGradient(w, g);
    double[] scratch = new double[3];
    for (int i = 0; i < w.length; i++) {
      double fd = (f.valueAndGradient(shifted(w, i, STEP), scratch) - f.valueAndGradient(shifted(w, i, -STEP), scratch))
          / (2 * STEP);
      assertEquals(fd, g[i], 1e-6 * (1 + Math.abs(fd)), "df/dw_" + i);
    }
  }

  /**
   * The binned objective's gradient is the gradient of the value it returns (what Breeze's line
   * search needs): with points rounded to bin centres the value was piecewise constant and this failed.
   */
  @Test
  void binnedGradientIsTheGradientOfItsValue() {
    Random r = new Random(9);
    for (long seed = 1; seed <= 3; seed++) {
      LabeledPoints data = MelcFixtures.gaussian(300, 4, 0.8, seed);
      BinnedCsDivergence d = BinnedCsDivergence.local(data, 0.9, 0.05);
      double[] u = MelcFixtures.randomUnit(4, r);
      double[] g = d.evaluate(u).gradient();
      for (int i = 0; i < u.length; i++) {
        double fd = (d.evaluate(shifted(u, i, STEP)).value() - d.evaluate(shifted(u, i, -STEP)).value()) / (2 * STEP);
        assertEquals(fd, g[i], 1e-5 * (1 + Math.abs(fd)), "binned dD/du_" + i + " seed " + seed);
      }
    }
  }

  @Test
  void binnedGradientApproachesTheExactOneAsEpsilonShrinks() {
    LabeledPoints data = MelcFixtures.gaussian(400, 5, 0.6, 11);
    double[] u = MelcFixtures.randomUnit(5, new Random(5));
    double[] exact = new ExactCsDivergence(data, 1.0).evaluate(u).gradient();
    double[] binned = BinnedCsDivergence.local(data, 1.0, 0.01).evaluate(u).gradient();
    double cosine = LabeledPoints.dot(exact, binned)
        / Math.sqrt(LabeledPoints.dot(exact, exact) * LabeledPoints.dot(binned, binned));
    assertTrue(cosine > 0.999, "cosine " + cosine);
  }

  private static double[] shifted(double[] u, int i, double step) {
    double[] v = u.clone();
    v[i] += step;
    return v;
  }
}
