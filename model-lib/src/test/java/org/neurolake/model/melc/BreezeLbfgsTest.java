package org.neurolake.model.melc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Breeze's L-BFGS through the Java adapter minimizes a known function. */
class BreezeLbfgsTest {
  @Test
  void minimizesAQuadraticThroughTheAdapter() {
    // D(u) = -(u0 - 1)^2 - 2(u1 + 2)^2 as a "divergence"; the sphere objective with lambda 0 then
    // minimizes f(w) = -D(w/|w|), whose minimizers are the multiples of the direction (1, -2).
    CsDivergence bowl = u -> {
      double n = Math.sqrt(u[0] * u[0] + u[1] * u[1]);
      double a = u[0] / n;
      double b = u[1] / n;
      double target0 = 1 / Math.sqrt(5);
      double target1 = -2 / Math.sqrt(5);
      return new CsDivergence.Evaluation(-(a - target0) * (a - target0) - (b - target1) * (b - target1),
          new double[] {-2 * (u[0] - target0), -2 * (u[1] - target1)}, 0);
    };
    BreezeLbfgs.Result r = new BreezeLbfgs(200, 1e-10).minimize(new SphereObjective(bowl, 1.0), new double[] {1, 1});
    double[] u = MelcTrainer.unit(r.w());
    assertEquals(1 / Math.sqrt(5), u[0], 1e-4);
    assertEquals(-2 / Math.sqrt(5), u[1], 1e-4);
  }
}
