package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LabeledSubsetsTest {
  @Test
  void sizesArePowersOfTwoFromEightThenAll() {
    assertEquals(List.of(8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 6920), LabeledSubsets.sizes(6920));
    assertEquals(List.of(8, 16, 32, 64), LabeledSubsets.sizes(64));
    assertEquals(List.of(5), LabeledSubsets.sizes(5));
    assertThrows(IllegalArgumentException.class, () -> LabeledSubsets.sizes(1));
  }

  @Test
  void aSubsetIsStratifiedDistinctSortedAndDeterministic() {
    int[] labels = new int[100];
    for (int i = 0; i < 30; i++) {
      labels[i * 3] = 1; // 30 positives
    }
    int[] s = LabeledSubsets.sample(labels, 20, 3);
    assertEquals(20, s.length);
    assertEquals(20, Arrays.stream(s).distinct().count());
    int[] sorted = s.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, s);
    assertEquals(6, Arrays.stream(s).filter(i -> labels[i] == 1).count(), "30% positives of 20");
    assertArrayEquals(s, LabeledSubsets.sample(labels, 20, 3));
    assertFalse(Arrays.equals(s, LabeledSubsets.sample(labels, 20, 4)), "another seed, another subset");
  }

  @Test
  void aSmallSubsetOfARareClassStillHoldsBothClasses() {
    int[] labels = new int[1000];
    labels[17] = 1;
    labels[500] = 1;
    int[] s = LabeledSubsets.sample(labels, 8, 1);
    assertTrue(Arrays.stream(s).anyMatch(i -> labels[i] == 1));
    assertTrue(Arrays.stream(s).anyMatch(i -> labels[i] == 0));
  }

  @Test
  void allExamplesIsEveryIndex() {
    int[] labels = {0, 1, 0, 1, 1};
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, LabeledSubsets.sample(labels, 5, 9));
  }

  @Test
  void refusesOneClassAndBadSizes() {
    assertThrows(IllegalArgumentException.class, () -> LabeledSubsets.sample(new int[] {1, 1, 1}, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> LabeledSubsets.sample(new int[] {0, 1}, 3, 0));
    assertThrows(IllegalArgumentException.class, () -> LabeledSubsets.sample(new int[] {0, 2}, 2, 0));
  }
}
