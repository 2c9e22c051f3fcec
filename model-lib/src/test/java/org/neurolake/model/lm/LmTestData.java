package org.neurolake.model.lm;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;

/** Tiny generated batches and parameters for the LSTM-LM tests. */
final class LmTestData {
  private LmTestData() {}

  /**
   * n rows of T word ids (row 1's last position padded when {@code padded}), as the spec's input
   * kind wants them: ids, or each word's characters (random symbols, as if from a char table).
   */
  static Batch batch(LstmLmSpec spec, int n, int steps, long seed, boolean padded, boolean[] continues) {
    SplittableRandom r = new SplittableRandom(seed);
    int v = spec.vocabSize();
    float[] ids = new float[n * steps];
    float[] y = new float[n * steps];
    float[] m = new float[n * steps];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = r.nextInt(v);
      y[i] = r.nextInt(v);
      m[i] = 1;
    }
    if (padded && n > 1) {
      m[steps + steps - 1] = 0;
    }
    long[] shape = {n, steps};
    if (spec.input() == LstmLmSpec.InputKind.WORD) {
      return new Batch(Nd4j.create(ids, shape, 'c'), Nd4j.create(y, shape, 'c'), null, Nd4j.create(m, shape, 'c'),
          continues);
    }
    int len = spec.charCnn().maxWordLength();
    float[][] table = charTable(v, len, seed + 1);
    float[] chars = new float[n * steps * len];
    for (int i = 0; i < ids.length; i++) {
      System.arraycopy(table[(int) ids[i]], 0, chars, i * len, len);
    }
    return new Batch(Nd4j.create(chars, new long[] {n, steps, len}, 'c'), Nd4j.create(y, shape, 'c'), null,
        Nd4j.create(m, shape, 'c'), continues);
  }

  /** Per word: begin-of-word, 1 to len-2 random bytes, end-of-word, padding. */
  static float[][] charTable(int v, int len, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] t = new float[v][len];
    for (int w = 0; w < v; w++) {
      Arrays.fill(t[w], CharCnn.PADDING);
      int bytes = 1 + r.nextInt(len - 2);
      t[w][0] = CharCnn.BEGIN_OF_WORD;
      for (int k = 1; k <= bytes; k++) {
        t[w][k] = 97 + r.nextInt(26);
      }
      t[w][bytes + 1] = CharCnn.END_OF_WORD;
    }
    return t;
  }

  /** Every parameter N(0, 0.5^2): no group left at its special initial values (zero biases). */
  static double[] randomParameters(ParameterLayout l, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] p = new double[(int) l.size()];
    for (int i = 0; i < p.length; i++) {
      p[i] = r.nextGaussian() * 0.5;
    }
    return p;
  }
}
