package org.neurolake.model.odm;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Frequency analysis, the classic first guess at a substitution: the i-th most frequent input
 * symbol is taken for the i-th most frequent label (ties by the lower id). {@link OdmModel} starts a
 * softmax-regression F from this guess ({@link OdmSpec#frequencyInit()}); the n-gram cost then
 * corrects it. Computed from the unlabelled inputs and the label sample alone.
 */
public final class FrequencyRank {
  private FrequencyRank() {}

  /**
   * @param inputMass per input column, its total over the input sequence (for one-hot symbols: the
   *     symbol's count)
   * @param labelCounts per class, its count in the label sequence
   * @return per input column, the class of the same frequency rank (columns beyond the classes, when
   *     there are more inputs than classes, get the least frequent class)
   */
  public static int[] match(double[] inputMass, double[] labelCounts) {
    int[] inputs = byDescending(inputMass);
    int[] classes = byDescending(labelCounts);
    int[] out = new int[inputMass.length];
    for (int i = 0; i < inputs.length; i++) {
      out[inputs[i]] = classes[Math.min(i, classes.length - 1)];
    }
    return out;
  }

  private static int[] byDescending(double[] v) {
    return IntStream.range(0, v.length).boxed()
        .sorted(Comparator.comparingDouble((Integer i) -> -v[i]).thenComparingInt(i -> i))
        .mapToInt(Integer::intValue).toArray();
  }
}
