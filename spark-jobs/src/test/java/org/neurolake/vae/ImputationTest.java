package org.neurolake.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurolake.model.vae.SentenceShard;
import org.neurolake.model.vae.SentenceVaeModel;
import org.neurolake.model.vae.SentenceVaeSpec;

/**
 * The imputation of a randomly initialized tiny VAE, recomputed sentence by sentence: the last 20%
 * of the words are held out, z is the posterior mean of the visible prefix alone, the score is the
 * held-out words' log-likelihood under that z, the fill is the greedy decode after the prefix cut at
 * the held-out length; too short sentences are skipped; the summary pools them.
 */
class ImputationTest {
  @Test
  void heldOutIsTwentyPercentRoundedAtLeastOne() {
    assertEquals(0, Imputation.heldOut(1));
    assertEquals(1, Imputation.heldOut(2));
    assertEquals(1, Imputation.heldOut(7));
    assertEquals(2, Imputation.heldOut(8));
    assertEquals(4, Imputation.heldOut(20));
  }

  @Test
  void fillsAndScoresFollowThePrefixPosterior() {
    SentenceVaeModel model = randomModel();
    SplittableRandom r = new SplittableRandom(3);
    List<int[]> sentences = List.of(sentence(r, 6), sentence(r, 1), sentence(r, 10), sentence(r, 3), sentence(r, 12));
    List<Imputation.Fill> fills = new Imputation(2).fill(model, sentences);
    assertEquals(List.of(0, 2, 3, 4), fills.stream().map(Imputation.Fill::index).toList(), "the 1-word one is skipped");
    for (Imputation.Fill f : fills) {
      int[] s = sentences.get(f.index());
      int words = s.length - 1;
      int held = Imputation.heldOut(words);
      assertArrayEquals(Arrays.copyOf(s, words - held), f.prefix());
      assertArrayEquals(Arrays.copyOfRange(s, words - held, words), f.heldOut());
      int[] visible = Arrays.copyOf(f.prefix(), f.prefix().length + 1);
      visible[f.prefix().length] = SentenceTables.EOS;
      double[][] z = model.posteriorMeans(SentenceShard.batchOf(new int[][] {visible}));
      double[] ll = model.tokenLogLikelihoods(SentenceShard.batchOf(new int[][] {s}), z)[0];
      double expected = 0;
      for (int t = words - held; t < words; t++) {
        expected += ll[t];
      }
      assertEquals(expected, f.heldOutLogLikelihood(), 1e-4, "sentence " + f.index());
      int[] decoded = model.greedyDecode(z, words, SentenceTables.EOS, new int[][] {f.prefix()})[0];
      int end = f.prefix().length;
      while (end < decoded.length && end < words && decoded[end] != SentenceTables.EOS) {
        end++;
      }
      assertArrayEquals(Arrays.copyOfRange(decoded, f.prefix().length, end), f.fill(), "sentence " + f.index());
      assertTrue(f.fill().length <= held);
    }
    Map<String, Double> m = Imputation.summary(fills);
    assertEquals(4, m.get("impute_sentences"));
    assertEquals(fills.stream().mapToDouble(Imputation.Fill::heldOutLogLikelihood).sum() / 4, m.get("impute_loglik"),
        1e-12);
    // 1 + 2 + 1 + 2 held-out words.
    assertEquals(fills.stream().mapToDouble(Imputation.Fill::heldOutLogLikelihood).sum() / 6,
        m.get("impute_loglik_word"), 1e-12);
  }

  @Test
  void beamFillsAreTheBeamSearchAfterThePrefixPosteriorAndABeamOfOneIsGreedy() {
    SentenceVaeModel model = randomModel();
    SplittableRandom r = new SplittableRandom(12);
    List<int[]> sentences = new java.util.ArrayList<>();
    // 10 .. 25 words: 2 .. 5 held out (with one, a beam cannot do better than the argmax).
    for (int i = 0; i < 12; i++) {
      sentences.add(sentence(r, 10 + r.nextInt(16)));
    }
    List<Imputation.Fill> greedy = new Imputation(4).fill(model, sentences);
    List<Imputation.Fill> beamOfOne = new Imputation(4, Imputation.Decoding.beam(1)).fill(model, sentences);
    List<Imputation.Fill> beam = new Imputation(4, Imputation.Decoding.beam(5)).fill(model, sentences);
    assertEquals(greedy.size(), beam.size());
    int differ = 0;
    for (int i = 0; i < greedy.size(); i++) {
      Imputation.Fill g = greedy.get(i);
      Imputation.Fill b = beam.get(i);
      assertArrayEquals(g.fill(), beamOfOne.get(i).fill(), "sentence " + g.index());
      assertEquals(g.matchedWords(), beamOfOne.get(i).matchedWords());
      // The score of the held-out words does not depend on the decoding.
      assertEquals(g.heldOutLogLikelihood(), b.heldOutLogLikelihood(), 1e-9);
      int[] visible = Arrays.copyOf(b.prefix(), b.prefix().length + 1);
      visible[b.prefix().length] = SentenceTables.EOS;
      double[][] z = model.posteriorMeans(SentenceShard.batchOf(new int[][] {visible}));
      int[] alone = model.beamComplete(z, new int[][] {b.prefix()}, new int[] {b.heldOut().length},
          SentenceTables.EOS, 5)[0];
      assertArrayEquals(alone, b.fill(), "sentence " + b.index());
      int matched = 0;
      for (int t = 0; t < b.fill().length; t++) {
        matched += b.fill()[t] == b.heldOut()[t] ? 1 : 0;
      }
      assertEquals(matched, b.matchedWords());
      differ += Arrays.equals(g.fill(), b.fill()) ? 0 : 1;
    }
    assertTrue(differ > 0, "the beam changes some fill (else this shows nothing)");
  }

  @Test
  void aFillEqualToTheHeldOutWordsIsAnExactMatch() {
    Imputation.Fill f = new Imputation.Fill(0, new int[] {3}, new int[] {4, 5}, new int[] {4, 5}, -1, 2);
    Imputation.Fill g = new Imputation.Fill(1, new int[] {3}, new int[] {4, 5}, new int[] {4}, -2, 1);
    Map<String, Double> m = Imputation.summary(List.of(f, g));
    assertEquals(0.5, m.get("impute_exact_match"));
    assertEquals(0.75, m.get("impute_word_match"));
  }

  /** A tiny VAE (20 words) with N(0, 0.6^2) parameters. */
  private static SentenceVaeModel randomModel() {
    SentenceVaeSpec spec = SentenceVaeSpec.builder(20).sizes(6, 8, 8, 3).specialIds(0, 2).seed(4).build();
    SentenceVaeModel model = spec.build();
    SplittableRandom r = new SplittableRandom(3);
    float[] p = model.parameters();
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (r.nextGaussian() * 0.6);
    }
    model.setParameters(p);
    return model;
  }

  /** Words 3 .. 19, then <eos>. */
  private static int[] sentence(SplittableRandom r, int words) {
    int[] s = new int[words + 1];
    for (int i = 0; i < words; i++) {
      s[i] = 3 + r.nextInt(17);
    }
    s[words] = SentenceTables.EOS;
    return s;
  }
}
