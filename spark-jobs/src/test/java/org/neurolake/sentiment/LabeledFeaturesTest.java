package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurolake.pipelines.text.Split;

class LabeledFeaturesTest {
  static final LabeledFeatures DATA = new LabeledFeatures(new float[][] {{1, 2}, {3, 4}, {5, 6}}, new int[] {1, 0, 1});

  @Test
  void selectsUnitsSubsetsAndClasses() {
    assertEquals(3, DATA.size());
    assertEquals(2, DATA.features());
    assertArrayEquals(new double[] {2, 4, 6}, DATA.unit(1));
    assertArrayEquals(new double[] {1, 5}, DATA.unit(0, 1));
    LabeledFeatures sub = DATA.subset(new int[] {2, 1});
    assertArrayEquals(new int[] {1, 0}, sub.labels());
    assertArrayEquals(new double[] {5, 3}, sub.unit(0));
    assertEquals(2.0 / 3, DATA.accuracy(new LinearProbe(new double[] {-1, 0}, 2)));
  }

  @Test
  void rejectsWhatTheProbeCannotUse() {
    assertThrows(IllegalArgumentException.class, () -> new LabeledFeatures(new float[][] {{1}}, new int[] {2}));
    assertThrows(IllegalArgumentException.class, () -> new LabeledFeatures(new float[][] {{1}, {1, 2}},
        new int[] {0, 1}));
    assertThrows(IllegalArgumentException.class, () -> new LabeledFeatures(new float[0][], new int[0]));
    assertThrows(IllegalArgumentException.class, () -> new LabeledTexts(List.of(new byte[1]), new int[] {0, 1}));
  }

  @Test
  void splitsAreNamedByTheirSplit() {
    BySplit<String> s = new BySplit<>("a", "b", "c");
    assertEquals(List.of("a", "b", "c"), List.of(s.get(Split.TRAIN), s.get(Split.DEV), s.get(Split.TEST)));
    assertEquals(new BySplit<>(1, 1, 1), s.map(String::length));
  }
}
