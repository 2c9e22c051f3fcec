package org.neurolake.model.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurolake.model.lm.ParameterLayout;

/**
 * Beam search after a forced prefix: its top-k keeps ties (libnd4j's does not); beam size 1 gives the greedy decode's words (VAE and RNNLM,
 * LSTM and GRU); on a hand-built bigram model greedy takes the likelier first word into a flat
 * continuation while a beam of 2 finds the far likelier two-word completion; a beam wide enough to
 * keep every hypothesis finds the exhaustive search's best completion.
 */
class BeamSearchTest {
  private static final int EOS = 1;
  // The bigram model's words: <unk> 0, <eos> 1, <s> 2, then P, A, B, C.
  private static final int P = 3;
  private static final int A = 4;
  private static final int B = 5;
  private static final int C = 6;

  @Test
  void topKKeepsTiedValuesInColumnOrder() {
    BeamSearch.Top top = BeamSearch.topK(org.nd4j.linalg.factory.Nd4j.createFromArray(
        new double[][] {{1, 5, 5, 3, 2, 5}, {0, 0, 1, 1, 0, 0}}), 3);
    assertArrayEquals(new double[] {5, 5, 5}, top.values()[0]);
    assertArrayEquals(new long[] {1, 2, 5}, top.indices()[0]);
    assertArrayEquals(new double[] {1, 1, 0}, top.values()[1]);
    assertArrayEquals(new long[] {2, 3, 0}, top.indices()[1]);
  }

  @Test
  void beamOfOneIsGreedy() {
    SplittableRandom r = new SplittableRandom(8);
    int ended = 0;
    int cut = 0;
    for (SentenceVaeSpec.Cell cell : SentenceVaeSpec.Cell.values()) {
      for (SentenceVaeSpec.EncoderKind encoder : SentenceVaeSpec.EncoderKind.values()) {
        SentenceVaeSpec spec = SentenceVaeSpec.builder(12).sizes(5, 6, 6, 3).cell(cell).encoder(encoder)
            .latentEveryStep(encoder != SentenceVaeSpec.EncoderKind.NONE && cell == SentenceVaeSpec.Cell.GRU)
            .seed(3).build();
        SentenceVaeModel model = spec.build();
        float[] p = toFloats(VaeTestData.randomParameters(model.parameterCount(), 9));
        p[model.layout().group("softmax_bias").offset() + EOS] += 1.5f; // <eos> now and then
        model.setParameters(p);
        int rows = 12;
        int[][] prefixes = new int[rows][];
        int[] maxWords = new int[rows];
        double[][] z = new double[rows][spec.hasLatent() ? spec.latentSize() : 0];
        for (int b = 0; b < rows; b++) {
          prefixes[b] = words(r, b % 5, 12);
          maxWords[b] = 1 + r.nextInt(5);
          for (int j = 0; j < z[b].length; j++) {
            z[b][j] = r.nextGaussian();
          }
        }
        int[][] beam = model.beamComplete(z, prefixes, maxWords, EOS, 1);
        int[][] greedy = model.greedyDecode(z, 12, EOS, prefixes);
        for (int b = 0; b < rows; b++) {
          int keep = prefixes[b].length;
          int end = keep;
          while (end < greedy[b].length && end < keep + maxWords[b] && greedy[b][end] != EOS) {
            end++;
          }
          ended += end < keep + maxWords[b] ? 1 : 0;
          cut += end < keep + maxWords[b] ? 0 : 1;
          assertArrayEquals(Arrays.copyOfRange(greedy[b], keep, end), beam[b], cell + " " + encoder + " row " + b);
        }
      }
    }
    // The random models end some fills by <eos> and cut others at the limit.
    assertTrue(ended > 0 && cut > 0, ended + " fills ended by <eos>, " + cut + " cut at the limit");
  }

  @Test
  void beamFindsTheLikelierCompletionGreedyMisses() {
    SentenceVaeModel model = bigramModel();
    int[][] prefix = {{P}};
    int[] two = {2};
    double[][] z = {{}};
    int[][] greedy = model.beamComplete(z, prefix, two, EOS, 1);
    int[][] beam = model.beamComplete(z, prefix, two, EOS, 2);
    // Greedy: A (the likelier first word), then the flat row after A, where <eos> leads a little.
    assertArrayEquals(new int[] {A}, greedy[0]);
    assertArrayEquals(new int[] {B, C}, beam[0]);
    double greedyLl = completionLogLikelihood(model, new int[] {P}, greedy[0], 2);
    double beamLl = completionLogLikelihood(model, new int[] {P}, beam[0], 2);
    assertTrue(beamLl > greedyLl + 1, "beam " + beamLl + " vs greedy " + greedyLl);
    assertArrayEquals(bestByEnumeration(model, new double[0], new int[] {P}, 2), beam[0]);
  }

  @Test
  void aBeamHoldingEveryHypothesisFindsTheExhaustiveBest() {
    SentenceVaeSpec spec = SentenceVaeSpec.builder(7).sizes(4, 5, 5, 2).seed(2).build();
    SentenceVaeModel model = spec.build();
    model.setParameters(toFloats(VaeTestData.randomParameters(model.parameterCount(), 21)));
    SplittableRandom r = new SplittableRandom(5);
    int rows = 8;
    int[][] prefixes = new int[rows][];
    double[][] z = new double[rows][2];
    int[] maxWords = new int[rows];
    for (int b = 0; b < rows; b++) {
      prefixes[b] = words(r, 1 + b % 3, 7);
      z[b] = new double[] {2 * r.nextGaussian(), 2 * r.nextGaussian()};
      maxWords[b] = 1 + b % 2;
    }
    // 7 x 7 = 49 slots: every hypothesis of at most 2 words stays in the beam.
    int[][] beam = model.beamComplete(z, prefixes, maxWords, EOS, 49);
    int differ = 0;
    int[][] greedy = model.beamComplete(z, prefixes, maxWords, EOS, 1);
    for (int b = 0; b < rows; b++) {
      assertArrayEquals(bestByEnumeration(model, z[b], prefixes[b], maxWords[b]), beam[b], "row " + b);
      differ += Arrays.equals(beam[b], greedy[b]) ? 0 : 1;
    }
    assertTrue(differ > 0, "some row where greedy is not the best (else the test shows nothing beyond greedy)");
  }

  /**
   * An RNNLM that is a bigram model: one-hot embeddings, no recurrence, the forget gate shut and the
   * input and output gates open, so h after word v is tanh(tanh(3)) at unit v only, and the
   * softmax weights of unit v are the next word's logits after v (over 0.76).
   */
  private static SentenceVaeModel bigramModel() {
    int v = 7;
    SentenceVaeSpec spec = SentenceVaeSpec.builder(v).sizes(v, 1, v, 1).encoder(SentenceVaeSpec.EncoderKind.NONE)
        .build();
    SentenceVaeModel model = spec.build();
    ParameterLayout l = model.layout();
    float[] p = new float[(int) l.size()];
    ParameterLayout.Group emb = l.group("embedding");
    ParameterLayout.Group wx = l.group("decoder_wx");
    ParameterLayout.Group bias = l.group("decoder_bias");
    for (int i = 0; i < v; i++) {
      p[emb.offset() + i * v + i] = 1;
      p[wx.offset() + i * 4 * v + 3 * v + i] = 3; // candidate g of unit i
      p[bias.offset() + i] = 20; // input gate open
      p[bias.offset() + v + i] = -30; // forget gate shut
      p[bias.offset() + 2 * v + i] = 20; // output gate open
    }
    double h = Math.tanh(Math.tanh(3));
    ParameterLayout.Group w = l.group("softmax_weights");
    // After P: A (logit 2) leads B (1.8). After A: all flat but <eos> (0.5). After B: C (logit 5).
    p[w.offset() + A * v + P] = (float) (2 / h);
    p[w.offset() + B * v + P] = (float) (1.8 / h);
    p[w.offset() + EOS * v + A] = (float) (0.5 / h);
    p[w.offset() + C * v + B] = (float) (5 / h);
    model.setParameters(p);
    return model;
  }

  /**
   * log p(fill, then {@code <eos>} if the fill is shorter than {@code maxWords} | prefix, z), by
   * teacher forcing ({@link SentenceVaeModel#tokenLogLikelihoods}).
   */
  private static double completionLogLikelihood(SentenceVaeModel model, double[] z, int[] prefix, int[] fill,
      int maxWords) {
    boolean ends = fill.length < maxWords;
    int[] s = Arrays.copyOf(prefix, prefix.length + fill.length + (ends ? 1 : 0));
    System.arraycopy(fill, 0, s, prefix.length, fill.length);
    if (ends) {
      s[s.length - 1] = EOS;
    }
    double[] ll = model.tokenLogLikelihoods(SentenceShard.batchOf(new int[][] {s}), new double[][] {z})[0];
    double sum = 0;
    for (int t = prefix.length; t < s.length; t++) {
      sum += ll[t];
    }
    return sum;
  }

  private static double completionLogLikelihood(SentenceVaeModel model, int[] prefix, int[] fill, int maxWords) {
    return completionLogLikelihood(model, new double[0], prefix, fill, maxWords);
  }

  /** The completion of at most {@code maxWords} non-{@code <eos>} words of highest likelihood, by enumeration. */
  private static int[] bestByEnumeration(SentenceVaeModel model, double[] z, int[] prefix, int maxWords) {
    int v = model.vaeSpec().vocabSize();
    List<int[]> fills = new ArrayList<>();
    fills.add(new int[0]);
    for (int length = 1; length <= maxWords; length++) {
      List<int[]> longer = new ArrayList<>();
      for (int[] f : fills) {
        if (f.length == length - 1) {
          for (int w = 0; w < v; w++) {
            if (w != EOS) {
              int[] g = Arrays.copyOf(f, length);
              g[length - 1] = w;
              longer.add(g);
            }
          }
        }
      }
      fills.addAll(longer);
    }
    int[] best = null;
    double bestLl = Double.NEGATIVE_INFINITY;
    for (int[] f : fills) {
      double ll = completionLogLikelihood(model, z, prefix, f, maxWords);
      if (ll > bestLl) {
        bestLl = ll;
        best = f;
      }
    }
    return best;
  }

  /** n words of ids 3 .. vocab-1. */
  private static int[] words(SplittableRandom r, int n, int vocab) {
    int[] w = new int[n];
    for (int i = 0; i < n; i++) {
      w[i] = 3 + r.nextInt(vocab - 3);
    }
    return w;
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
