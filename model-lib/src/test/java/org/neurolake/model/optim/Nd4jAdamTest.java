package org.neurolake.model.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link Nd4jAdam} against {@link Adam}'s vector kernel: same updates, clipping, state and refusal of a non-finite gradient. */
class Nd4jAdamTest {
  private static float[] random(int n, double scale, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (r.nextGaussian() * scale);
    }
    return x;
  }

  @Test
  void sameStepsAsTheHostKernelWithAndWithoutClippingForBothEpsilonPlacements() {
    int n = 1000;
    for (EpsilonPlacement placement : EpsilonPlacement.values()) {
      for (double clip : new double[] {0, 2.0}) {
        AdamSettings s = AdamSettings.builder().withClipNorm(clip).withEpsilon(1e-3).withEpsilonPlacement(placement)
            .build();
        Adam host = new Adam(s, n);
        Nd4jAdam device = new Nd4jAdam(s, n);
        float[] p = random(n, 1, 1);
        INDArray pd = Nd4j.createFromArray(p.clone());
        for (int t = 1; t <= 3; t++) {
          float[] g = random(n, 0.5, 10 + t);
          java.nio.ByteBuffer pb = AdamTest.direct(p);
          double normHost = host.stepVectorized(pb, AdamTest.direct(g), 0.01, t);
          pb.asFloatBuffer().get(0, p);
          double normDevice = device.step(pd, Nd4j.createFromArray(g), 0.01, t);
          assertEquals(normHost, normDevice, 1e-6 * normHost);
          assertEquals(normHost, device.lastGradientNorm(), 0.0 + 1e-6 * normHost);
          assertTrue(clip == 0 || normHost > clip, "clipping is active at t = " + t);
        }
        assertArrayEquals(p, pd.toFloatVector(), 1e-6f, placement + ", clip " + clip);
        assertArrayEquals(host.state(), device.state(), 1e-6f);
      }
    }
  }

  @Test
  void aNonFiniteGradientThrowsAndChangesNothingAndStateRoundTrips() {
    AdamSettings s = AdamSettings.builder().withClipNorm(1.0).build();
    Nd4jAdam adam = new Nd4jAdam(s, 4);
    INDArray p = Nd4j.createFromArray(1f, 2f, 3f, 4f);
    adam.step(p, Nd4j.createFromArray(0.5f, -0.5f, 1f, 2f), 0.1, 1);
    float[] before = p.toFloatVector();
    float[] state = adam.state();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> adam.step(p, Nd4j.createFromArray(1f, Float.NaN, 0f, 0f), 0.1, 2));
    assertTrue(e.getMessage().contains("not finite"), e.getMessage());
    assertArrayEquals(before, p.toFloatVector(), 0f, "parameters unchanged");
    assertArrayEquals(state, adam.state(), 0f, "state unchanged");
    assertTrue(Double.isNaN(adam.lastGradientNorm()));

    Nd4jAdam restored = new Nd4jAdam(s, 4);
    restored.setState(state);
    assertArrayEquals(state, restored.state(), 0f);
    assertThrows(IllegalArgumentException.class, () -> restored.setState(new float[3]));
    assertThrows(IllegalArgumentException.class, () -> restored.step(p, Nd4j.createFromArray(1f, 2f), 0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> restored.step(p, p.dup(), 0.1, 0));
  }
}
