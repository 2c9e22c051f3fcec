package org.neurolake.model.odm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class NgramMatchingTest {
  private static INDArray oneHot(int[] ids, int k) {
    INDArray out = Nd4j.zeros(DataType.DOUBLE, ids.length, k);
    for (int i = 0; i < ids.length; i++) {
      out.putScalar(i, ids[i], 1.0);
    }
    return out;
  }

  /**
   * Symbols 0 and 2 are equally frequent (three times each), but 0 is always followed by 2 and 2 by
   * 1: predicting the label windows themselves costs 0; swapping 0 and 2 leaves the unigram
   * statistics unchanged (cost 0 with window 1) and is caught by the bigram term alone.
   */
  @Test
  void theBigramTermTellsApartSymbolsOfEqualFrequency() {
    int[] labels = {0, 2, 1, 1, 0, 2, 1, 1, 0, 2, 1, 1};
    int[] swapped = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      swapped[i] = labels[i] == 1 ? 1 : 2 - labels[i];
    }
    INDArray real = oneHot(labels, 3);
    assertEquals(0.0, NgramMatching.of(oneHot(labels, 3), real, 4).cost(), 1e-12);
    assertEquals(0.0, NgramMatching.of(oneHot(swapped, 3), real, 1).cost(), 1e-12);
    double withBigrams = NgramMatching.of(oneHot(swapped, 3), real, 4).cost();
    assertTrue(withBigrams > 0.1, "bigram KL " + withBigrams);
  }
}
