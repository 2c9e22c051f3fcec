package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PoissonGlmTest {
  static final double[] W = {0.5, -0.3, 0.2};
  static final double B = -1.0;

  /** Features N(1, 1) (not centred, to exercise the internal centring), Poisson targets from W, B. */
  static RowMatrix features(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] x = new double[n * W.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = 1 + rng.nextGaussian();
    }
    return RowMatrix.of(n, W.length, x);
  }

  static double[] targets(RowMatrix x, double[] w, double b, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] y = new double[x.rows()];
    for (int i = 0; i < y.length; i++) {
      double eta = b;
      for (int j = 0; j < w.length; j++) {
        eta += w[j] * x.get(i, j);
      }
      y[i] = Simulated.poisson(rng, Math.exp(eta));
    }
    return y;
  }

  static final PoissonGlm.Config EXACT = new PoissonGlm.Config(0, 1e-12, 50, 0);

  @Test
  void recoversKnownWeightsFromSimulatedPoissonData() {
    RowMatrix x = features(40_000, 1);
    PoissonGlm.Fit fit = PoissonGlm.fit(x, targets(x, W, B, 2), EXACT);
    assertArrayEquals(W, fit.weights(), 0.03);
    assertEquals(B, fit.bias(), 0.05);
    assertTrue(fit.iterations() < 15, "Newton iterations: " + fit.iterations());
  }

  @Test
  void withoutFeaturesTheBiasIsTheLogOfTheMeanCount() {
    double[] y = {0, 1, 3, 0, 2};
    PoissonGlm.Fit fit = PoissonGlm.fit(RowMatrix.of(5, 0, new double[0]), y, EXACT);
    assertEquals(Math.log(6.0 / 5), fit.bias(), 1e-12);
  }

  @Test
  void aSubsampledHessianReachesTheSameOptimum() {
    RowMatrix x = features(20_000, 3);
    double[] y = targets(x, W, B, 4);
    PoissonGlm.Config full = new PoissonGlm.Config(0.01, 1e-13, 100, 0);
    PoissonGlm.Fit exact = PoissonGlm.fit(x, y, full);
    PoissonGlm.Fit sub = PoissonGlm.fit(x, y, new PoissonGlm.Config(0.01, 1e-13, 100, 500));
    assertArrayEquals(exact.weights(), sub.weights(), 1e-5);
    assertEquals(exact.bias(), sub.bias(), 1e-5);
    assertEquals(exact.objective(), sub.objective(), 1e-12);
  }

  @Test
  void theL2PenaltyShrinksTheWeights() {
    RowMatrix x = features(5_000, 5);
    double[] y = targets(x, W, B, 6);
    double free = norm(PoissonGlm.fit(x, y, EXACT).weights());
    double shrunk = norm(PoissonGlm.fit(x, y, EXACT.withL2(1.0)).weights());
    assertTrue(shrunk < 0.5 * free, free + " vs " + shrunk);
  }

  @Test
  void fitAllGivesTheSameFitsOnAnyNumberOfThreads() {
    RowMatrix x = features(3_000, 7);
    List<double[]> ys = List.of(targets(x, W, B, 8), targets(x, new double[] {0, 0.4, 0}, -2, 9),
        targets(x, new double[] {-0.2, 0, 0.1}, 0, 10));
    List<PoissonGlm.Fit> one = PoissonGlm.fitAll(x, ys, PoissonGlm.Config.defaults(), 1);
    List<PoissonGlm.Fit> two = PoissonGlm.fitAll(x, ys, PoissonGlm.Config.defaults(), 2);
    for (int i = 0; i < ys.size(); i++) {
      assertArrayEquals(one.get(i).weights(), two.get(i).weights(), 0);
      assertEquals(one.get(i).bias(), two.get(i).bias(), 0);
    }
  }

  @Test
  void anAllZeroTargetPredictsRateZero() {
    RowMatrix x = features(100, 11);
    PoissonGlm.Fit fit = PoissonGlm.fit(x, new double[100], PoissonGlm.Config.defaults());
    assertEquals(Double.NEGATIVE_INFINITY, fit.bias());
    assertArrayEquals(new double[100], fit.predict(x), 0);
  }

  @Test
  void failuresThrowWithAReason() {
    RowMatrix x = features(2_000, 12);
    double[] y = targets(x, W, B, 13);
    IllegalStateException slow = assertThrows(IllegalStateException.class,
        () -> PoissonGlm.fit(x, y, new PoissonGlm.Config(0, 1e-12, 1, 0)));
    assertTrue(slow.getMessage().contains("did not converge"), slow.getMessage());
    // Two identical columns without a penalty: the Hessian is singular.
    double[] dup = new double[2_000 * 2];
    for (int i = 0; i < 2_000; i++) {
      dup[2 * i] = x.get(i, 0);
      dup[2 * i + 1] = x.get(i, 0);
    }
    IllegalStateException singular = assertThrows(IllegalStateException.class,
        () -> PoissonGlm.fit(RowMatrix.of(2_000, 2, dup), y, EXACT));
    assertTrue(singular.getMessage().contains("positive definite"), singular.getMessage());
    assertThrows(IllegalArgumentException.class, () -> PoissonGlm.fit(x, new double[3], EXACT));
  }

  static double norm(double[] w) {
    double s = 0;
    for (double v : w) {
      s += v * v;
    }
    return Math.sqrt(s);
  }
}
