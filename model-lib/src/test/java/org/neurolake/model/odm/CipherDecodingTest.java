package org.neurolake.model.odm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A tiny substitution cipher: text from a 6-symbol Markov chain whose symbols 2 and 3 (stationary
 * frequencies 0.148 and 0.146) and 4 and 5 (0.122 and 0.119) differ in frequency by less than the
 * sampling noise of 3,000 characters, but not in their bigrams (2 is followed by 5, 3 by 0 or 1, 4
 * by 0 or 2, 5 by 0 or 3). The ciphertext and an independent plaintext sample are all F sees.
 * (With samples where frequency analysis swaps both pairs, e.g. seeds 19 and 20, the n-gram cost
 * settles in a wrong 3-cycle at cost 0.35: it corrects a swap, not every wrong start.)
 */
class CipherDecodingTest {
  private static final double[][] CHAIN = {
      {0, .4, .3, .3, 0, 0}, {.3, 0, 0, 0, .7, 0}, {.2, 0, 0, 0, 0, .8},
      {.6, .4, 0, 0, 0, 0}, {.5, 0, .5, 0, 0, 0}, {.5, 0, 0, .5, 0, 0}};
  private static final int K = CHAIN.length;
  /** Plain symbol p is enciphered as KEY[p]. */
  private static final int[] KEY = {3, 5, 0, 4, 2, 1};
  private static final int N = 3000;
  private static final int WINDOW = 20;

  private static int[] text(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] s = new int[n];
    for (int t = 1; t < n; t++) {
      double u = r.nextDouble();
      int next = 0;
      for (double c = CHAIN[s[t - 1]][0]; c <= u && next < K - 1; c += CHAIN[s[t - 1]][++next]) {
        // walks the cumulative row to the sampled successor
      }
      s[t] = next;
    }
    return s;
  }

  private static float[] enciphered(int[] plain) {
    float[] x = new float[plain.length * K];
    for (int t = 0; t < plain.length; t++) {
      x[t * K + KEY[plain[t]]] = 1f;
    }
    return x;
  }

  private static double[] counts(int[] ids) {
    double[] c = new double[K];
    for (int id : ids) {
      c[id]++;
    }
    return c;
  }

  /** Per cipher symbol, the plain symbol F decodes it to. */
  private static int[] decoded(OdmModel model) {
    float[] alphabet = new float[K * K];
    for (int c = 0; c < K; c++) {
      alphabet[c * K + c] = 1f;
    }
    return model.predict(Nd4j.create(alphabet, new long[] {K, K}, 'c'));
  }

  private static int[] inverseKey() {
    int[] inv = new int[K];
    for (int p = 0; p < K; p++) {
      inv[KEY[p]] = p;
    }
    return inv;
  }

  @Test
  void frequencyAnalysisThenTheNgramCostDecryptsExactly() {
    int[] cipherPlain = text(13, N);
    int[] sample = text(14, N);
    double[] cipherCounts = new double[K];
    for (int p : cipherPlain) {
      cipherCounts[KEY[p]]++;
    }
    int[] prior = FrequencyRank.match(cipherCounts, counts(sample));
    // Frequency analysis alone swaps the near-equal pair 2, 3 here; the bigrams must correct it.
    assertNotEquals(Arrays.toString(inverseKey()), Arrays.toString(prior));
    OdmSpec spec = OdmSpec.builder(K, K).generatorHidden(List.of()).discriminatorHidden(List.of(4)).window(WINDOW)
        .cost(OdmCost.NGRAM).learningRate(0.05).frequencyInit(3).frequencyPrior(Arrays.stream(prior).boxed().toList())
        .seed(1).build();
    OdmModel model = spec.build();
    OdmShard shard = new OdmShard(enciphered(cipherPlain), sample, new float[0], new int[0], K, K, WINDOW, 0);
    for (int step = 0; step < 150; step++) {
      model.fit(shard.batch(step * 50, 50));
    }
    assertArrayEquals(inverseKey(), decoded(model));
  }

  @Test
  void frequencyInitNeedsThePriorAndASoftmaxRegression() {
    OdmSpec noPrior = OdmSpec.builder(K, K).generatorHidden(List.of()).frequencyInit(3).build();
    assertThrows(IllegalArgumentException.class, noPrior::build);
    assertThrows(IllegalArgumentException.class,
        () -> OdmSpec.builder(K, K).generatorHidden(List.of(8)).frequencyInit(3).build());
    assertThrows(IllegalArgumentException.class, () -> OdmSpec.builder(K, K).generatorHidden(List.of())
        .frequencyPrior(IntStream.range(0, K).map(i -> K).boxed().toList()).build());
  }
}
