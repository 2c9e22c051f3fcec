package org.neurolake.model.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;

class SequenceScorerTest {
  private static final int[] IDS = {1, 5, 7, 2, 2, 9, 3, 0, 11, 4, 6, 6, 8};

  private static LstmLmModel model() {
    LstmLmSpec spec = LstmLmGradientTest.word().fullSoftmax().dropout(0, 0, 0).build();
    LstmLmModel model = new LstmLmModel(spec);
    double[] p = LmTestData.randomParameters(spec.layout(), 2);
    float[] f = new float[p.length];
    for (int i = 0; i < p.length; i++) {
      f[i] = (float) p[i];
    }
    model.setParameters(f);
    return model;
  }

  /** The model's own full-softmax score of the whole sequence in one row, one window. */
  private static Map<String, Double> onePass(LstmLmModel model, int[] ids) {
    int n = ids.length - 1;
    float[] x = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = ids[i];
      y[i] = ids[i + 1];
    }
    model.resetState();
    return model.score(new Batch(Nd4j.create(x, new long[] {1, n}, 'c'), Nd4j.create(y, new long[] {1, n}, 'c')));
  }

  @Test
  void anyCutIntoPiecesAndWindowsScoresAsOnePass() {
    LstmLmModel model = model();
    Map<String, Double> whole = onePass(model, IDS);
    int[][] cuts = {{13}, {1, 12}, {4, 4, 5}, {6, 1, 1, 5}};
    for (int window : new int[] {1, 3, 4, 20}) {
      for (int[] cut : cuts) {
        SequenceScorer s = new SequenceScorer(model, window, null);
        int at = 0;
        for (int len : cut) {
          s.accept(Arrays.copyOfRange(IDS, at, at + len));
          at += len;
        }
        s.finish();
        assertEquals(12, s.tokens(), "window " + window + ", cut " + Arrays.toString(cut));
        assertEquals(whole.get("log_likelihood"), s.logLikelihood(), 1e-4,
            "window " + window + ", cut " + Arrays.toString(cut));
      }
    }
  }

  @Test
  void samplesAreDeterminedByTheSeedAndStopAtTheStopWord() {
    LstmLmModel model = model();
    int[] context = {3, 1};
    int[] a = model.sample(context, 30, 1.0, new SplittableRandom(7), -1, null);
    int[] b = model.sample(context, 30, 1.0, new SplittableRandom(7), -1, null);
    int[] c = model.sample(context, 30, 1.0, new SplittableRandom(8), -1, null);
    assertEquals(30, a.length);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c), "another seed, the same 30 words");
    int[] stopped = model.sample(context, 30, 1.0, new SplittableRandom(7), a[4], null);
    int firstStop = 0;
    while (a[firstStop] != a[4]) {
      firstStop++;
    }
    assertArrayEquals(Arrays.copyOf(a, firstStop + 1), stopped);
  }

  @Test
  void temperatureZeroTakesTheMostLikelyWordGivenTheContext() {
    LstmLmModel model = model();
    int[] context = {3, 1, 4};
    int[] greedy = model.sample(context, 1, 0.0, new SplittableRandom(1), -1, null);
    // The most likely next word is the one whose score as a target is highest.
    int v = ((LstmLmSpec) model.spec()).vocabSize();
    int best = -1;
    double bestLl = Double.NEGATIVE_INFINITY;
    for (int w = 0; w < v; w++) {
      double ll = onePass(model, new int[] {3, 1, 4, w}).get("log_likelihood");
      if (ll > bestLl) {
        bestLl = ll;
        best = w;
      }
    }
    assertArrayEquals(new int[] {best}, greedy);
  }
}
