package org.neurolake.model.odm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class FrequencyRankTest {
  @Test
  void matchesInputsAndClassesByFrequencyRank() {
    // input 0 is the 2nd most frequent, 1 the 3rd, 2 the 1st; class 2 is the most frequent, then 0, then 1
    assertArrayEquals(new int[] {0, 1, 2}, FrequencyRank.match(new double[] {5, 1, 9}, new double[] {40, 3, 70}));
    // ties go to the lower id; surplus inputs get the least frequent class
    assertArrayEquals(new int[] {1, 0, 0, 0}, FrequencyRank.match(new double[] {2, 2, 1, 0}, new double[] {1, 5}));
  }
}
