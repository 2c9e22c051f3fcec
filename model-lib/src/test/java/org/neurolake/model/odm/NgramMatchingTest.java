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
   * Symbols 0 and 1 are equally frequent, but 0 is always followed by 2 and 1 by itself or 0:
   * predicting the label windows themselves costs 0; swapping 0 and 1 leaves the unigram
   * statistics unchanged and is caught by the bigram term alone.
   */
  @Test
  void theBigramTermTellsApartSymbolsOfEqualFrequency() {
    int[] labels = {0, 2, 1, 1, 0, 2, 1, 1, 0, 2, 1, 1};
    int[] swapped = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      swapped[i] = labels[i] == 2 ? 2 : 1 - labels[i];
    }
    // unigram counts: 0 three times, 1 six times, 2 three times; swapped: 1 three times, 0 six times
    int[] counts = new int[3];
    for (int id : labels) {
      counts[id]++;
    }
    int[] swappedEqual = labels.clone(); // equal frequencies: swap 0 and 2 (both three times)
    for (int i = 0; i < labels.length; i++) {
      swappedEqual[i] = labels[i] == 1 ? 1 : 2 - labels[i];
    }
    assertEquals(counts[0], counts[2]);
    INDArray real = oneHot(labels, 3);
    assertEquals(0.0, NgramMatching.of(oneHot(labels, 3), real, 4).cost(), 1e-12);
    double unigramOnly = NgramMatching.of(oneHot(swappedEqual, 3), real, 1).cost();
    double withBigrams = NgramMatching.of(oneHot(swappedEqual, 3), real, 4).cost();
    assertEquals(0.0, unigramOnly, 1e-12);
    assertTrue(withBigrams > 0.1, "bigram KL " + withBigrams);
  }
}
