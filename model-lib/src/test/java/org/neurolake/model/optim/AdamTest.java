package org.neurolake.model.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Adam} alone, through both kernels. */
class AdamTest {

  /** The two ways to run a step: the scalar loop on float[] and the vector-API loop on direct buffers. */
  enum Kernel {
    SCALAR, VECTOR;

    double step(Adam adam, float[] params, float[] grads, double lr, long t) {
      if (this == SCALAR) {
        return adam.step(params, grads, lr, t);
      }
      ByteBuffer p = direct(params);
      double norm;
      try {
        norm = adam.stepVectorized(p, direct(grads), lr, t);
      } finally {
        p.asFloatBuffer().get(0, params);
      }
      return norm;
    }
  }

  static ByteBuffer direct(float[] values) {
    ByteBuffer b = ByteBuffer.allocateDirect(4 * values.length).order(ByteOrder.nativeOrder());
    b.asFloatBuffer().put(values);
    return b;
  }

  static AdamSettings.Builder settings() {
    return AdamSettings.builder();
  }

  // ---- the equations ----

  @Test
  void atStepOneBiasCorrectionMakesEveryParameterMoveByTheLearningRate() {
    // From zero moments, t = 1: m^ = g and v^ = g^2 exactly, so p moves by lr g / (|g| + eps'), i.e.
    // by lr in the gradient's sign whatever its size (eps is made negligible here).
    float[] g = {1e-3f, -1f, 250f, -4e4f};
    for (EpsilonPlacement placement : EpsilonPlacement.values()) {
      for (Kernel kernel : Kernel.values()) {
        Adam adam = new Adam(settings().withEpsilon(1e-12).withEpsilonPlacement(placement).build(), g.length);
        float[] p = {1, 2, 3, 4};
        kernel.step(adam, p, g, 0.01, 1);
        for (int i = 0; i < g.length; i++) {
          double moved = (i + 1) - p[i];
          assertEquals(0.01 * Math.signum(g[i]), moved, 1e-6 * (i + 1) + 1e-7,
              placement + "/" + kernel + " parameter " + i);
        }
        // The kernels take 1 - beta in float, from beta rounded to float: 1 - 0.999f = 0.00099998713.
        float[] state = adam.state();
        for (int i = 0; i < g.length; i++) {
          assertEquals((1 - 0.9f) * g[i], state[i], 0f, "m = (1 - beta1) g");
          double v = (double) (1 - 0.999f) * g[i] * g[i];
          assertEquals(v, state[g.length + i], 2e-7 * v, "v = (1 - beta2) g^2");
        }
      }
    }
  }

  @Test
  void handComputedTwoParameterExampleAlphaT() {
    // beta1 0.5, beta2 0.6, eps 0.1, lr 0.1, t = 2; p = (1, -2), g = (1, -2), m0 = (0.2, -0.4), v0 = (0.1, 0.5).
    // m = 0.5 m0 + 0.5 g = (0.6, -1.2); v = 0.6 v0 + 0.4 g^2 = (0.46, 1.9).
    // alpha_2 = 0.1 sqrt(1 - 0.36) / (1 - 0.25) = 0.1 * 0.8 / 0.75 = 8/75.
    // p1 = 1 - (8/75) 0.6 / (sqrt(0.46) + 0.1) = 1 - 0.064 / 0.7782330 = 1 - 0.0822376 = 0.9177624
    // p2 = -2 + (8/75) 1.2 / (sqrt(1.9) + 0.1) = -2 + 0.128 / 1.4784049 = -2 + 0.0865798 = -1.9134202
    handComputed(EpsilonPlacement.ALPHA_T, new float[] {0.9177624f, -1.9134202f});
  }

  @Test
  void handComputedTwoParameterExampleAfterBiasCorrection() {
    // Same numbers. m^ = m / 0.75 = (0.8, -1.6); v^ = v / 0.64 = (0.71875, 2.96875);
    // sqrt(v^) = (0.8477912, 1.7230061).
    // p1 = 1 - 0.1 * 0.8 / (0.8477912 + 0.1) = 1 - 0.0844068 = 0.9155932
    // p2 = -2 + 0.1 * 1.6 / (1.7230061 + 0.1) = -2 + 0.0877671 = -1.9122329
    handComputed(EpsilonPlacement.AFTER_BIAS_CORRECTION, new float[] {0.9155932f, -1.9122329f});
  }

  private static void handComputed(EpsilonPlacement placement, float[] expected) {
    AdamSettings s = settings().withBeta1(0.5).withBeta2(0.6).withEpsilon(0.1).withEpsilonPlacement(placement).build();
    for (Kernel kernel : Kernel.values()) {
      Adam adam = new Adam(s, 2);
      adam.setState(new float[] {0.2f, -0.4f, 0.1f, 0.5f});
      float[] p = {1, -2};
      double norm = kernel.step(adam, p, new float[] {1, -2}, 0.1, 2);
      assertEquals(Math.sqrt(5), norm, 1e-12);
      assertArrayEquals(expected, p, 2e-6f, placement + "/" + kernel);
      assertArrayEquals(new float[] {0.6f, -1.2f, 0.46f, 1.9f}, adam.state(), 1e-6f, "m then v");
    }
  }

  @Test
  void clippingScalesTheGradientByMaxNormOverNorm() {
    float[] g = {3, 4}; // norm 5
    for (Kernel kernel : Kernel.values()) {
      Adam clipped = new Adam(settings().withClipNorm(1).build(), 2);
      float[] grads = g.clone();
      double norm = kernel.step(clipped, new float[2], grads, 0.01, 1);
      assertEquals(5.0, norm, 1e-12, "the norm before clipping");
      assertArrayEquals(g, grads, 0f, "the gradient buffer is not written");
      float scale = (float) (1.0 / 5.0);
      float c1 = 1 - 0.9f;
      float[] m = Arrays.copyOf(clipped.state(), 2);
      assertArrayEquals(new float[] {c1 * (3 * scale), c1 * (4 * scale)}, m, 0f, kernel + ": m of the scaled gradient");

      // At or below the threshold, and with clipping off, the gradient is used as it is.
      for (double clipNorm : new double[] {5, 10, 0}) {
        Adam plain = new Adam(settings().withClipNorm(clipNorm).build(), 2);
        kernel.step(plain, new float[2], g.clone(), 0.01, 1);
        assertArrayEquals(new float[] {c1 * 3, c1 * 4}, Arrays.copyOf(plain.state(), 2), 0f, "clipNorm " + clipNorm);
      }
    }
  }

  @Test
  void bothKernelsMatchADoublePrecisionReference() {
    int n = 1000 + 3; // whole vectors and a tail
    SplittableRandom random = new SplittableRandom(42);
    float[] p0 = gaussian(random, n, 1);
    float[] g = gaussian(random, n, 1);
    float[] state0 = gaussian(random, 2 * n, 0.1);
    for (int i = n; i < 2 * n; i++) {
      state0[i] = Math.abs(state0[i]);
    }
    double norm = 0;
    for (float x : g) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    double clipNorm = norm / 2; // active: scale 0.5
    for (EpsilonPlacement placement : EpsilonPlacement.values()) {
      for (Kernel kernel : Kernel.values()) {
        Adam adam = new Adam(settings().withClipNorm(clipNorm).withEpsilonPlacement(placement).build(), n);
        adam.setState(state0);
        float[] p = p0.clone();
        assertEquals(norm, kernel.step(adam, p, g, 0.01, 3), 1e-6 * norm);
        float[] state = adam.state();
        double c1 = 1 - Math.pow(0.9, 3);
        double c2 = 1 - Math.pow(0.999, 3);
        for (int i = 0; i < n; i++) {
          double gi = g[i] * 0.5;
          double m = 0.9 * state0[i] + 0.1 * gi;
          double v = 0.999 * state0[n + i] + 0.001 * gi * gi;
          double step = placement == EpsilonPlacement.ALPHA_T
              ? 0.01 * Math.sqrt(c2) / c1 * m / (Math.sqrt(v) + 1e-8)
              : 0.01 * (m / c1) / (Math.sqrt(v / c2) + 1e-8);
          String at = placement + "/" + kernel + " parameter " + i;
          assertEquals(m, state[i], 1e-6, at);
          assertEquals(v, state[n + i], 1e-6, at);
          assertEquals(p0[i] - step, p[i], 1e-5, at);
        }
      }
    }
  }

  // ---- the two kernels against each other ----

  /**
   * The kernels compute the same equations in float but round (1 - beta2) g g in a different order
   * (scalar: ((1 - beta2) g) g; vector: (g g)(1 - beta2)) and sum the squared norm differently
   * (double of exact squares in order; float lanes by fused multiply-add per block). Hence:
   * <ul>
   *   <li>m: without clipping the same operations, so bit-identical; with clipping the two clip
   *       factors can differ by an ulp, which moves every scaled g, and so m, by about an ulp of its
   *       scale: bound 2 ulps of the largest |m| (relative to each element's own m would be
   *       meaningless, m being an average that can cancel to near zero).</li>
   *   <li>v: a sum of positive terms, each new term within an ulp: bound 8 ulps of v.</li>
   *   <li>p: the steps differ by a few ulps of the step (about lr), and at any step p - step may then
   *       round to neighbouring floats: bound 4 ulps of p plus 8 ulps of lr per step.</li>
   * </ul>
   * Observed on AVX-512 (20 steps, 4099 parameters, p ~ N(0, 1)): without clipping m identical, v
   * within 3 ulps, p within 1.2e-7; with clipping m within 1 ulp of max |m|, v within 4 ulps, p
   * within 2.4e-7.
   */
  @Test
  void theKernelsAgreeWithinAFewUlps() {
    int n = 4099;
    int steps = 20;
    double lr = 1e-2;
    for (double clipNorm : new double[] {0, 5}) {
      SplittableRandom random = new SplittableRandom(7);
      float[] p0 = gaussian(random, n, 1);
      AdamSettings s = settings().withClipNorm(clipNorm).build();
      Adam scalar = new Adam(s, n);
      Adam vector = new Adam(s, n);
      float[] ps = p0.clone();
      float[] pv = p0.clone();
      for (int t = 1; t <= steps; t++) {
        float[] g = gaussian(random, n, 0.5);
        double ns = Kernel.SCALAR.step(scalar, ps, g, lr, t);
        double nv = Kernel.VECTOR.step(vector, pv, g, lr, t);
        assertEquals(ns, nv, 1e-6 * ns, "the two norms");
        if (clipNorm > 0) {
          assertTrue(ns > clipNorm, "clipping is active at step " + t);
        }
      }
      float[] ss = scalar.state();
      float[] sv = vector.state();
      float mMax = 0;
      for (int i = 0; i < n; i++) {
        mMax = Math.max(mMax, Math.abs(ss[i]));
      }
      for (int i = 0; i < n; i++) {
        String at = "clipNorm " + clipNorm + ", parameter " + i;
        assertEquals(ss[i], sv[i], clipNorm == 0 ? 0f : 2 * Math.ulp(mMax), "m, " + at);
        assertEquals(ss[n + i], sv[n + i], 8 * Math.ulp(ss[n + i]), "v, " + at);
        assertEquals(ps[i], pv[i], 4 * Math.ulp(ps[i]) + 8 * steps * Math.ulp((float) lr), "p, " + at);
      }
    }
  }

  @Test
  void theKernelsAreBitIdenticalWhereTheirRoundingsCoincide() {
    // With gradients that are powers of two, g g and (1 - beta2) g are exact, so both orders give
    // the same v; without clipping everything else is the same operations in the same order.
    int n = 1031;
    SplittableRandom random = new SplittableRandom(3);
    float[] p0 = gaussian(random, n, 1);
    for (EpsilonPlacement placement : EpsilonPlacement.values()) {
      AdamSettings s = settings().withEpsilonPlacement(placement).build();
      Adam scalar = new Adam(s, n);
      Adam vector = new Adam(s, n);
      float[] ps = p0.clone();
      float[] pv = p0.clone();
      for (int t = 1; t <= 5; t++) {
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
          g[i] = (random.nextBoolean() ? 1 : -1) * (float) Math.scalb(1.0, random.nextInt(-6, 7));
        }
        Kernel.SCALAR.step(scalar, ps, g, 1e-3, t);
        Kernel.VECTOR.step(vector, pv, g, 1e-3, t);
      }
      assertArrayEquals(ps, pv, 0f, placement + ": parameters");
      assertArrayEquals(scalar.state(), vector.state(), 0f, placement + ": state");
    }
  }

  // ---- state, arguments, failures ----

  @Test
  void stateIsMThenVAndRoundTrips() {
    Adam adam = new Adam(settings().build(), 3);
    assertArrayEquals(new float[6], adam.state(), "a new optimizer starts from zeros");
    adam.step(new float[3], new float[] {1, 2, 3}, 0.1, 1);
    float[] s = adam.state();
    float c1 = 1 - 0.9f;
    float c2 = 1 - 0.999f;
    assertArrayEquals(new float[] {c1 * 1, c1 * 2, c1 * 3, c2 * 1 * 1, c2 * 2 * 2, c2 * 3 * 3}, s, 0f);
    Adam other = new Adam(settings().build(), 3);
    other.setState(s);
    assertArrayEquals(s, other.state(), 0f);
    s[0] = 42;
    assertEquals(c1, other.state()[0], 0f, "state() and setState copy");
    assertThrows(IllegalArgumentException.class, () -> other.setState(new float[3]));
    assertEquals(0, new Adam(settings().build(), 0).state().length);
  }

  @Test
  void badArgumentsAreRejectedBeforeAnythingChanges() {
    Adam adam = new Adam(settings().build(), 4);
    float[] p = {1, 2, 3, 4};
    float[] g = {1, 1, 1, 1};
    assertThrows(IllegalArgumentException.class, () -> adam.step(p, g, 0.1, 0), "t counts from 1");
    assertThrows(IllegalArgumentException.class, () -> adam.step(p, g, -0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> adam.step(p, g, Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> adam.step(new float[3], g, 0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> adam.step(p, new float[3], 0.1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> adam.step(FloatBuffer.wrap(p).asReadOnlyBuffer(), FloatBuffer.wrap(g), 0.1, 1));
    ByteBuffer swapped = direct(p).order(ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN
        ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
    assertThrows(IllegalArgumentException.class, () -> adam.stepVectorized(swapped, direct(g), 0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> adam.stepVectorized(direct(new float[3]), direct(g), 0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Adam(settings().build(), -1));
    assertThrows(IllegalArgumentException.class, () -> new Adam(settings().build(), 1L << 30));
    assertArrayEquals(new float[] {1, 2, 3, 4}, p, 0f);
    assertArrayEquals(new float[8], adam.state(), 0f);
    assertTrue(Double.isNaN(adam.lastGradientNorm()), "no step was taken");
  }

  @Test
  void aNonFiniteGradientThrowsAndChangesNothing() {
    for (Kernel kernel : Kernel.values()) {
      for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
        Adam adam = new Adam(settings().withClipNorm(1).build(), 3);
        adam.setState(new float[] {1, 2, 3, 4, 5, 6});
        float[] p = {1, 2, 3};
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> kernel.step(adam, p, new float[] {1, bad, 1}, 0.1, 7));
        assertTrue(e.getMessage().contains("not finite") && e.getMessage().contains("step 7"), e.getMessage());
        assertArrayEquals(new float[] {1, 2, 3}, p, 0f, kernel + ": parameters unchanged");
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, adam.state(), 0f, kernel + ": state unchanged");
        assertTrue(!Double.isFinite(adam.lastGradientNorm()), "the failing step's norm is kept for diagnostics");
      }
    }
  }

  @Test
  void aZeroLearningRateMovesNothingButUpdatesTheMoments() {
    for (Kernel kernel : Kernel.values()) {
      Adam adam = new Adam(settings().build(), 2);
      float[] p = {1, -1};
      kernel.step(adam, p, new float[] {0.5f, 0.25f}, 0.0, 1);
      assertArrayEquals(new float[] {1, -1}, p, 0f);
      assertTrue(adam.state()[0] != 0 && adam.state()[3] != 0);
    }
  }

  static float[] gaussian(SplittableRandom random, int n, double std) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * std);
    }
    return v;
  }
}
