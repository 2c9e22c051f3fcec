package org.neurolake.model.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class AdagradTest {
  @Test
  void handComputedTwoSteps() {
    // a0 = 0.1; step 1: g = 1 -> a = 1.1, p = 1 - 0.5 / sqrt(1.1) = 0.523268;
    // step 2: g = -2 -> a = 5.1, p = 0.523268 + 1 / sqrt(5.1) = 0.966074.
    Adagrad a = new Adagrad(0.1, 1);
    float[] p = {1f};
    a.step(p, new float[] {1f}, 0.5, 0);
    assertEquals(1 - 0.5 / Math.sqrt(1.1), p[0], 1e-6);
    a.step(p, new float[] {-2f}, 0.5, 0);
    assertEquals(1 - 0.5 / Math.sqrt(1.1) + 1.0 / Math.sqrt(5.1), p[0], 1e-6);
    assertEquals(5.1f, a.state()[0], 1e-6);
  }

  @Test
  void updatingTouchedRangesEqualsADenseStepWithZerosElsewhere() {
    float[] grads = {0, 0, 0.3f, -0.7f, 0, 0, 1.5f, 0};
    float[] dense = {1, 2, 3, 4, 5, 6, 7, 8};
    float[] sparse = dense.clone();
    Adagrad a = new Adagrad(0.1, 8);
    Adagrad b = new Adagrad(0.1, 8);
    double norm = a.step(dense, grads, 0.2, 1.0);
    double scale = Adagrad.clipScale(norm, 1.0);
    assertEquals(1.0 / Math.sqrt(0.09 + 0.49 + 2.25), scale, 1e-6);
    // Compact gradient rows {0.3, -0.7} at 2 and {1.5} at 6.
    FloatBuffer compact = FloatBuffer.wrap(new float[] {0.3f, -0.7f, 1.5f});
    b.update(FloatBuffer.wrap(sparse), 2, compact, 0, 2, 0.2, scale);
    b.update(FloatBuffer.wrap(sparse), 6, compact, 2, 1, 0.2, scale);
    assertArrayEquals(dense, sparse, 0f);
    assertArrayEquals(a.state(), b.state(), 0f);
  }

  @Test
  void stateRoundTripsAndIsChecked() {
    Adagrad a = new Adagrad(0.1, 3);
    a.setState(new float[] {1, 2, 3});
    assertArrayEquals(new float[] {1, 2, 3}, a.state(), 0f);
    assertThrows(IllegalArgumentException.class, () -> a.setState(new float[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> a.setState(new float[] {1, 0, 3}));
    assertThrows(IllegalStateException.class, () -> a.step(new float[3], new float[] {Float.NaN, 0, 0}, 0.1, 0));
  }
}
