package org.neurolake.model.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Nd4jAdam} against {@link Adam}'s scalar kernel: same parameters, moments and gradient norm
 * after four steps with clipping active in some of them (to 2 float ulps of each value: the two sum
 * the squared norm in different orders), for both epsilon placements; a non-finite gradient
 * changes nothing; the state moves between the two.
 */
class Nd4jAdamTest {
  @ParameterizedTest
  @EnumSource(EpsilonPlacement.class)
  void stepsMatchTheScalarKernelWithClipping(EpsilonPlacement placement) {
    AdamSettings s = AdamSettings.builder().withEpsilon(0.1).withClipNorm(3.0).withEpsilonPlacement(placement).build();
    int n = 257;
    SplittableRandom rng = new SplittableRandom(5);
    float[] p = new float[n];
    for (int i = 0; i < n; i++) {
      p[i] = (float) rng.nextGaussian();
    }
    Adam host = new Adam(s, n);
    Nd4jAdam device = new Nd4jAdam(s, n);
    INDArray pd = Nd4j.createFromArray(p.clone());
    int clipped = 0;
    for (int t = 1; t <= 4; t++) {
      float[] g = new float[n];
      double scale = t % 2 == 0 ? 1.0 : 0.05; // norms about 16 (clipped) and 0.8 (not)
      for (int i = 0; i < n; i++) {
        g[i] = (float) (scale * rng.nextGaussian());
      }
      double a = host.step(p, g, 0.01, t);
      double b = device.step(pd, Nd4j.createFromArray(g), 0.01, t);
      assertEquals(a, b, 1e-6 * a);
      clipped += s.clips(a) ? 1 : 0;
    }
    assertEquals(2, clipped, "two of the four steps clip");
    assertClose(p, pd.toFloatVector());
    assertClose(host.state(), device.state());
  }

  @ParameterizedTest
  @EnumSource(value = EpsilonPlacement.class, names = "ALPHA_T")
  void aNonFiniteGradientThrowsAndChangesNothingAndTheStateMovesBetweenKernels(EpsilonPlacement placement) {
    AdamSettings s = AdamSettings.builder().withEpsilonPlacement(placement).build();
    Nd4jAdam adam = new Nd4jAdam(s, 3);
    INDArray p = Nd4j.createFromArray(1f, 2f, 3f);
    adam.step(p, Nd4j.createFromArray(0.5f, -0.5f, 0.25f), 0.1, 1);
    float[] before = p.toFloatVector();
    float[] state = adam.state();
    assertThrows(IllegalStateException.class, () -> adam.step(p, Nd4j.createFromArray(1f, Float.NaN, 0f), 0.1, 2));
    assertArrayEquals(before, p.toFloatVector());
    assertArrayEquals(state, adam.state());
    Adam host = new Adam(s, 3);
    host.setState(state);
    Nd4jAdam back = new Nd4jAdam(s, 3);
    back.setState(host.state());
    assertArrayEquals(state, back.state());
    assertTrue(state[0] != 0 && state[3] != 0, "the first step moved both moments");
  }

  private static void assertClose(float[] want, float[] got) {
    assertEquals(want.length, got.length);
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], got[i], 2 * Math.ulp(want[i]), "element " + i);
    }
  }
}
