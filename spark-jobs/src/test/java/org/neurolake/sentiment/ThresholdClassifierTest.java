package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ThresholdClassifierTest {
  @Test
  void separableDataGetsAPerfectCutBetweenTheClasses() {
    double[] v = {0.1, 0.5, 0.3, 2.0, 1.5, 1.2};
    int[] y = {0, 0, 0, 1, 1, 1};
    ThresholdClassifier t = ThresholdClassifier.fit(v, y);
    assertEquals(1, t.sign());
    assertEquals((0.5 + 1.2) / 2, t.threshold(), 1e-12);
    assertEquals(1.0, t.accuracy(v, y));
  }

  @Test
  void aNegativelyCodedUnitFlipsTheDirection() {
    double[] v = {-3, -2, -1, 1, 2, 3};
    int[] y = {1, 1, 1, 0, 0, 0};
    ThresholdClassifier t = ThresholdClassifier.fit(v, y);
    assertEquals(-1, t.sign());
    assertEquals(0.0, t.threshold(), 1e-12);
    assertEquals(1.0, t.accuracy(v, y));
    assertEquals(1, t.predict(-10));
    assertEquals(0, t.predict(10));
  }

  @Test
  void noisyDataGetsTheBestAccuracyOfAnyCut() {
    SplittableRandom rng = new SplittableRandom(7);
    int n = 200;
    double[] v = new double[n];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(2);
      v[i] = y[i] + rng.nextGaussian();
    }
    ThresholdClassifier t = ThresholdClassifier.fit(v, y);
    double best = 0;
    for (double cut = -4; cut <= 5; cut += 0.001) {
      for (int sign : new int[] {1, -1}) {
        best = Math.max(best, new ThresholdClassifier(cut, sign).accuracy(v, y));
      }
    }
    assertEquals(best, t.accuracy(v, y), 1e-12, "exhaustive search over cuts finds nothing better");
    assertTrue(t.accuracy(v, y) > 0.6);
  }

  @Test
  void tiedValuesAreNeverSplit() {
    double[] v = {1, 1, 1, 1};
    int[] y = {0, 1, 1, 1};
    ThresholdClassifier t = ThresholdClassifier.fit(v, y);
    assertEquals(0.75, t.accuracy(v, y));
  }

  @Test
  void refusesBadInput() {
    assertThrows(IllegalArgumentException.class, () -> ThresholdClassifier.fit(new double[0], new int[0]));
    assertThrows(IllegalArgumentException.class, () -> ThresholdClassifier.fit(new double[] {1}, new int[] {2}));
    assertThrows(IllegalArgumentException.class, () -> ThresholdClassifier.fit(new double[] {1, 2}, new int[] {1}));
    assertThrows(IllegalArgumentException.class, () -> new ThresholdClassifier(0, 0));
  }
}
