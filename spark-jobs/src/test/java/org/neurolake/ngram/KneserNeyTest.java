package org.neurolake.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurolake.pipelines.lm.SpecialTokens;

/**
 * The Spark estimator and scorer against a straightforward in-memory implementation of interpolated
 * modified Kneser-Ney (written here from Chen and Goodman's definitions, recursively, with maps), on
 * tiny generated corpora: every probability of every seen context (and some unseen ones) over the
 * whole vocabulary, each context's distribution summing to 1, and a held-out perplexity.
 */
class KneserNeyTest {
  static SparkSession spark;
  /** Ids 0 <unk>, 1 <eos>, 2 <s>, then 3..62 ordinary words: 62 predicted words. */
  static final int WORDS = 60;
  static final int VOCAB = WORDS + 3;
  static final int PREDICTED = VOCAB - 1;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("kneser-ney-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * Sentences {@code <s> w.. <eos>}: random ones of 1-8 words, Zipf-distributed (so rare words have
   * continuation counts 1, 2, 3), then ten fixed sentences repeated 1-4 times (fewer the more often, so
   * long n-grams have counts 1 to 4 too, fewer of the higher: every order gets valid discounts).
   */
  static List<List<Integer>> corpus(long seed, int sentences) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<List<Integer>> out = new ArrayList<>();
    for (int s = 0; s < sentences; s++) {
      out.add(randomSentence(rng));
    }
    int[] copies = {1, 1, 1, 1, 2, 2, 2, 3, 3, 4};
    for (int c : copies) {
      List<Integer> template = randomSentence(rng);
      for (int k = 0; k < c; k++) {
        out.add(template);
      }
    }
    return out;
  }

  private static List<Integer> randomSentence(SplittableRandom rng) {
    double[] cdf = new double[WORDS];
    double sum = 0;
    for (int r = 0; r < WORDS; r++) {
      sum += 1.0 / (r + 1);
      cdf[r] = sum;
    }
    List<Integer> ids = new ArrayList<>(List.of(SpecialTokens.BOS_ID));
    int n = 1 + rng.nextInt(8);
    for (int i = 0; i < n; i++) {
      int idx = java.util.Arrays.binarySearch(cdf, rng.nextDouble() * sum);
      int rank = idx >= 0 ? idx : Math.min(-idx - 1, WORDS - 1);
      ids.add(rng.nextInt(20) == 0 ? SpecialTokens.UNK_ID : 3 + rank);
    }
    ids.add(SpecialTokens.EOS_ID);
    return ids;
  }

  static Dataset<Row> idSentences(List<List<Integer>> sentences) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < sentences.size(); i++) {
      rows.add(RowFactory.create((long) i, sentences.get(i).toArray(new Integer[0])));
    }
    return spark.createDataFrame(rows, SentenceIds.SCHEMA);
  }

  /** The reference: counts in maps, the probability by its recursive definition. */
  static final class Reference {
    final int order;
    /** Per order n (index n), the modified count of each n-gram (context..., word). */
    final List<Map<List<Integer>, Long>> counts = new ArrayList<>();
    /** The same counts by order, context and word. */
    final List<Map<List<Integer>, Map<Integer, Long>>> byContext = new ArrayList<>();
    final double[][] discounts;

    Reference(List<List<Integer>> sentences, int order) {
      this.order = order;
      List<Map<List<Integer>, Long>> raw = new ArrayList<>();
      for (int n = 0; n <= order; n++) {
        raw.add(new HashMap<>());
      }
      for (List<Integer> s : sentences) {
        for (int i = 1; i < s.size(); i++) {
          for (int n = 1; n <= order && i - n + 1 >= 0; n++) {
            raw.get(n).merge(List.copyOf(s.subList(i - n + 1, i + 1)), 1L, Long::sum);
          }
        }
      }
      counts.add(Map.of());
      for (int n = 1; n <= order; n++) {
        Map<List<Integer>, Long> c = new HashMap<>();
        for (Map.Entry<List<Integer>, Long> e : raw.get(n).entrySet()) {
          List<Integer> g = e.getKey();
          if (n == order || g.get(0) == SpecialTokens.BOS_ID) {
            c.put(g, e.getValue());
          } else {
            Set<Integer> before = new HashSet<>();
            for (List<Integer> longer : raw.get(n + 1).keySet()) {
              if (longer.subList(1, n + 1).equals(g)) {
                before.add(longer.get(0));
              }
            }
            c.put(g, (long) before.size());
          }
        }
        counts.add(c);
      }
      for (int n = 0; n <= order; n++) {
        Map<List<Integer>, Map<Integer, Long>> m = new HashMap<>();
        for (Map.Entry<List<Integer>, Long> e : counts.get(n).entrySet()) {
          m.computeIfAbsent(List.copyOf(e.getKey().subList(0, n - 1)), k -> new HashMap<>())
              .put(e.getKey().get(n - 1), e.getValue());
        }
        byContext.add(m);
      }
      discounts = new double[order + 1][];
      for (int n = 1; n <= order; n++) {
        long[] nk = new long[5];
        for (long v : counts.get(n).values()) {
          if (v <= 4) {
            nk[(int) v]++;
          }
        }
        double y = nk[1] / (nk[1] + 2.0 * nk[2]);
        discounts[n] = new double[] {0, 1 - 2 * y * nk[2] / nk[1], 2 - 3 * y * nk[3] / nk[2], 3 - 4 * y * nk[4] / nk[3]};
      }
    }

    double discount(int n, long c) {
      return discounts[n][(int) Math.min(c, 3)];
    }

    /** p(word | the last order-1 words of history). */
    double prob(List<Integer> history, int word) {
      List<Integer> h = history.subList(Math.max(0, history.size() - (order - 1)), history.size());
      return prob(h.size() + 1, h, word);
    }

    private double prob(int n, List<Integer> context, int word) {
      if (n == 0) {
        return 1.0 / PREDICTED;
      }
      double lower = prob(n - 1, context.subList(Math.min(1, context.size()), context.size()), word);
      long total = 0;
      long[] nk = new long[4];
      Map<Integer, Long> next = byContext.get(n).getOrDefault(context, Map.of());
      for (long v : next.values()) {
        total += v;
        nk[(int) Math.min(v, 3)]++;
      }
      long c = next.getOrDefault(word, 0L);
      if (total == 0) {
        return lower;
      }
      double gamma = (discount(n, 1) * nk[1] + discount(n, 2) * nk[2] + discount(n, 3) * nk[3]) / total;
      return Math.max(c - (c > 0 ? discount(n, c) : 0), 0) / total + gamma * lower;
    }
  }

  private static void checkAgainstReference(int order, long seed, int sentences) {
    List<List<Integer>> train = corpus(seed, sentences);
    Reference ref = new Reference(train, order);
    KnModel model = KneserNeyEstimator.estimate(idSentences(train), order, PREDICTED, "tiny", "v");

    for (KnDiscounts d : model.discounts()) {
      assertEquals(ref.discounts[d.order()][1], d.d1(), 1e-12, "D1 of order " + d.order());
      assertEquals(ref.discounts[d.order()][2], d.d2(), 1e-12, "D2 of order " + d.order());
      assertEquals(ref.discounts[d.order()][3], d.d3plus(), 1e-12, "D3+ of order " + d.order());
    }

    // Every context of the model, plus unseen ones, as histories; every predicted word.
    Set<List<Integer>> histories = new LinkedHashSet<>();
    for (int n = 1; n <= order; n++) {
      for (List<Integer> g : ref.counts.get(n).keySet()) {
        histories.add(List.copyOf(g.subList(0, n - 1)));
      }
    }
    histories.add(List.of(60, 61, 62, 60, 61, 62));
    histories.add(List.of(SpecialTokens.BOS_ID, 0, 0, 0));
    histories.add(List.of(5, 4, 3));
    List<List<Integer>> historyList = new ArrayList<>(histories);
    List<Row> queries = new ArrayList<>();
    for (int h = 0; h < historyList.size(); h++) {
      for (int w = 0; w < VOCAB; w++) {
        if (w != SpecialTokens.BOS_ID) {
          queries.add(RowFactory.create((long) h * VOCAB + w, historyList.get(h).toArray(new Integer[0]), w));
        }
      }
    }
    List<Row> probs = KneserNeyScorer.probabilities(model,
        spark.createDataFrame(queries, KneserNeyScorer.QUERY_SCHEMA)).collectAsList();
    assertEquals(queries.size(), probs.size());
    double[] sums = new double[historyList.size()];
    for (Row r : probs) {
      long id = r.getLong(0);
      List<Integer> history = historyList.get((int) (id / VOCAB));
      int word = (int) (id % VOCAB);
      assertEquals(ref.prob(history, word), r.getDouble(1), 1e-12, "p(" + word + " | " + history + ")");
      sums[(int) (id / VOCAB)] += r.getDouble(1);
    }
    for (int h = 0; h < sums.length; h++) {
      assertEquals(1.0, sums[h], 1e-12, "sum over the vocabulary after " + historyList.get(h));
    }

    // Held-out perplexity: the scorer's sentence path against the reference's product.
    List<List<Integer>> heldOut = corpus(seed + 1, 20).subList(0, 20);
    double logProb = 0;
    int tokens = 0;
    for (List<Integer> s : heldOut) {
      for (int i = 1; i < s.size(); i++) {
        logProb += Math.log(ref.prob(s.subList(0, i), s.get(i)));
        tokens++;
      }
    }
    KneserNeyScorer.Perplexity p = KneserNeyScorer.perplexity(model, idSentences(heldOut));
    assertEquals(tokens, p.tokens());
    assertEquals(20, p.sentences());
    assertEquals(logProb, p.logProb(), 1e-9);
    assertEquals(Math.exp(-logProb / tokens), p.ppl(), 1e-9);
    assertTrue(p.ppl() > 1 && p.ppl() < PREDICTED, "ppl " + p.ppl());
    model.ngrams().unpersist();
    model.contexts().unpersist();
  }

  @Test
  void trigramMatchesTheReference() {
    checkAgainstReference(3, 1, 150);
  }

  @Test
  void fiveGramMatchesTheReference() {
    checkAgainstReference(5, 1, 200);
  }
}
