package org.neurolake.model.vae;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;

/**
 * A batch of padded sentences as the network reads it, time-major (position q = t * rows + b is
 * word t of sentence b). A sentence is its words then {@code <eos>}: the encoder reads them all, the
 * decoder predicts each from {@code <s>} and the words before it.
 *
 * @param tokens the sentences' ids (padding: 0), rows x steps values
 * @param lengths tokens per sentence (>= 1, {@code <eos>} included)
 * @param mask [steps x rows, 1]: 1 on a sentence's tokens, 0 on padding
 * @param count tokens in the batch
 */
record SentenceWindow(int rows, int steps, int[] tokens, int[] lengths, INDArray mask, int count) {
  /**
   * Reads a {@link Batch}: {@code features} [n, T] token ids, {@code featuresMask} [n, T] (null: no
   * padding) marking each sentence's tokens, which must come first in its row. Labels are ignored
   * (the targets are the features).
   */
  static SentenceWindow of(Batch batch, int vocabSize, DataType dataType) {
    INDArray f = batch.features();
    if (f.rank() != 2) {
      throw new IllegalArgumentException("sentence-vae features must be [n, T] token ids, got shape "
          + Arrays.toString(f.shape()));
    }
    int n = (int) f.size(0);
    int steps = (int) f.size(1);
    INDArray m = batch.featuresMask();
    if (m != null && (m.rank() != 2 || m.size(0) != n || m.size(1) != steps)) {
      throw new IllegalArgumentException("featuresMask must be [" + n + ", " + steps + "], got "
          + Arrays.toString(m.shape()));
    }
    float[] x = f.castTo(DataType.FLOAT).dup('c').data().asFloat();
    float[] mk = m == null ? null : m.castTo(DataType.FLOAT).dup('c').data().asFloat();
    int[] tokens = new int[n * steps];
    int[] lengths = new int[n];
    float[] mask = new float[n * steps];
    int count = 0;
    for (int b = 0; b < n; b++) {
      for (int t = 0; t < steps; t++) {
        int src = b * steps + t;
        boolean valid = mk == null || mk[src] != 0f;
        if (!valid) {
          continue;
        }
        if (lengths[b] != t) {
          throw new IllegalArgumentException("sentence " + b + " has a padding gap before token " + t
              + ": a sentence's tokens must come first in its row");
        }
        int id = (int) x[src];
        if (id != x[src] || id < 0 || id >= vocabSize) {
          throw new IllegalArgumentException("features[" + b + ", " + t + "] = " + x[src] + " is not an id in 0.."
              + (vocabSize - 1));
        }
        int q = t * n + b;
        tokens[q] = id;
        mask[q] = 1f;
        lengths[b]++;
        count++;
      }
      if (lengths[b] == 0) {
        throw new IllegalArgumentException("sentence " + b + " of the batch is empty (it needs at least <eos>)");
      }
    }
    INDArray maskColumn = Nd4j.create(mask, new long[] {(long) n * steps, 1}, 'c').castTo(dataType);
    return new SentenceWindow(n, steps, tokens, lengths, maskColumn, count);
  }

  int positions() {
    return rows * steps;
  }

  /** Positions of each sentence's last token (its {@code <eos>}): the encoder's output there is the summary. */
  int[] lastPositions() {
    int[] q = new int[rows];
    for (int b = 0; b < rows; b++) {
      q[b] = (lengths[b] - 1) * rows + b;
    }
    return q;
  }

  /** The decoder's inputs: {@code <s>} at step 0, then the previous token (padding positions: startId). */
  int[] decoderInputs(int startId) {
    int[] in = new int[tokens.length];
    for (int b = 0; b < rows; b++) {
      in[b] = startId;
      for (int t = 1; t < steps; t++) {
        in[t * rows + b] = t < lengths[b] ? tokens[(t - 1) * rows + b] : startId;
      }
    }
    return in;
  }
}
