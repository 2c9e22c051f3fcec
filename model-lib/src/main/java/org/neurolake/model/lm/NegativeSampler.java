package org.neurolake.model.lm;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws the sampled softmax's K negatives with replacement from a proposal Q over the vocabulary, and
 * gives each its log expected count log(K Q(s)), the importance-sampling correction. Used by the word
 * LM and the sentence VAE's decoder.
 */
public final class NegativeSampler {
  /** K negatives and their log(K Q(s)). */
  public record Draw(int[] ids, double[] logExpectedCount) {}

  private final LstmLmSpec.Proposal proposal;
  private final int vocab;
  private final int negatives;
  /** Unigram: cumulative counts, for inversion by binary search. */
  private final long[] cumulative;
  private final double logVocabPlusOne;

  NegativeSampler(LstmLmSpec spec) {
    this(spec.proposal(), spec.vocabSize(), spec.negatives(), spec.unigramCounts());
  }

  /**
   * K = {@code negatives} draws per call from {@code proposal} over ids 0 .. vocab-1 (log-uniform:
   * ids in decreasing order of frequency; unigram: {@code unigramCounts}, vocab values, else unused).
   */
  public NegativeSampler(LstmLmSpec.Proposal proposal, int vocab, int negatives, List<Long> unigramCounts) {
    if (vocab < 2 || negatives < 1) {
      throw new IllegalArgumentException("need vocab >= 2 and negatives >= 1, got " + vocab + ", " + negatives);
    }
    this.proposal = proposal;
    this.vocab = vocab;
    this.negatives = negatives;
    this.logVocabPlusOne = Math.log(vocab + 1.0);
    if (proposal == LstmLmSpec.Proposal.UNIGRAM) {
      List<Long> counts = unigramCounts;
      cumulative = new long[vocab];
      long sum = 0;
      for (int k = 0; k < vocab; k++) {
        sum += counts.get(k);
        cumulative[k] = sum;
      }
    } else {
      cumulative = null;
    }
  }

  /** Q(k). */
  double probability(int k) {
    if (proposal == LstmLmSpec.Proposal.LOG_UNIFORM) {
      return Math.log((k + 2.0) / (k + 1.0)) / logVocabPlusOne;
    }
    long total = cumulative[vocab - 1];
    return (double) (cumulative[k] - (k == 0 ? 0 : cumulative[k - 1])) / total;
  }

  public Draw draw(SplittableRandom random) {
    int[] ids = new int[negatives];
    double[] logCount = new double[negatives];
    for (int i = 0; i < negatives; i++) {
      int k = proposal == LstmLmSpec.Proposal.LOG_UNIFORM ? logUniform(random) : unigram(random);
      ids[i] = k;
      logCount[i] = Math.log(negatives * probability(k));
    }
    return new Draw(ids, logCount);
  }

  /** k = floor(exp(u log(V + 1))) - 1 has P(k) = log((k + 2) / (k + 1)) / log(V + 1). */
  private int logUniform(SplittableRandom random) {
    int k = (int) Math.floor(Math.exp(random.nextDouble() * logVocabPlusOne)) - 1;
    return Math.min(Math.max(k, 0), vocab - 1);
  }

  private int unigram(SplittableRandom random) {
    long u = random.nextLong(cumulative[vocab - 1]);
    int lo = 0;
    int hi = vocab - 1;
    while (lo < hi) { // the first k with cumulative[k] > u
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }
}
