package org.neurolake.vae;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.neurolake.model.vae.SentenceShard;
import org.neurolake.model.vae.SentenceVaeModel;

/**
 * Bowman et al.'s imputation task: a sentence's last {@value #HELD_OUT_FRACTION} of words (at least
 * one, rounded; {@code <eos>} is not a word) is removed, and a model fills them after the visible
 * prefix by greedy decoding or by beam search ({@link Decoding}; beam search keeps the fill of
 * highest log p(fill words [, {@code <eos>}] | prefix, z) it finds). The VAE decodes from z = the posterior mean of the visible prefix (read
 * by the encoder as a sentence: the prefix then {@code <eos>}); the RNNLM baseline from its zero
 * state. Each sentence is scored by log p(held-out words | prefix, z) (teacher forcing, nats) and by
 * how many fill words equal the held-out word at their position; the fill has at most as many words
 * as were held out, and stops at {@code <eos>}. Sentences of fewer than 2 words are skipped.
 */
public final class Imputation {
  public static final double HELD_OUT_FRACTION = 0.2;
  /** The evaluations metric recording the beam size of the fills (1 for greedy decoding). */
  public static final String BEAM_SIZE_METRIC = "impute_beam_size";

  /** A sentence's imputation: its index in the input, the visible words, the held-out words, the fill, the scores. */
  public record Fill(int index, int[] prefix, int[] heldOut, int[] fill, double heldOutLogLikelihood, int matchedWords) {
    public boolean exactMatch() {
      return Arrays.equals(heldOut, fill);
    }
  }

  /**
   * How the held-out words are filled: {@link Kind#GREEDY} takes the argmax word at each step;
   * {@link Kind#BEAM} searches with {@code beamSize} hypotheses ({@link SentenceVaeModel#beamComplete};
   * a beam of 1 fills as greedy does).
   */
  public record Decoding(Kind kind, int beamSize) {
    /** The beam size of {@code --decode beam} unless given, as is common in the literature. */
    public static final int DEFAULT_BEAM_SIZE = 10;

    public enum Kind { GREEDY, BEAM }

    public Decoding {
      java.util.Objects.requireNonNull(kind, "kind");
      if (beamSize < 1 || (kind == Kind.GREEDY && beamSize != 1)) {
        throw new IllegalArgumentException("the beam size must be >= 1 (and 1 for greedy decoding), got " + kind
            + " with " + beamSize);
      }
    }

    public static Decoding greedy() {
      return new Decoding(Kind.GREEDY, 1);
    }

    public static Decoding beam(int beamSize) {
      return new Decoding(Kind.BEAM, beamSize);
    }

    /** {@code greedy} or {@code beam}, as in the imputations table and {@code --decode}. */
    public String label() {
      return kind.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final int batchSize;
  private final Decoding decoding;

  /** Greedy imputation in passes of {@code batchSize} sentences. */
  public Imputation(int batchSize) {
    this(batchSize, Decoding.greedy());
  }

  public Imputation(int batchSize, Decoding decoding) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
    }
    this.batchSize = batchSize;
    this.decoding = java.util.Objects.requireNonNull(decoding, "decoding");
  }

  /** How many of a sentence's {@code words} are held out: 20%, rounded, at least 1 (0 when words < 2). */
  public static int heldOut(int words) {
    return words < 2 ? 0 : Math.max(1, (int) Math.round(HELD_OUT_FRACTION * words));
  }

  /** The fills of the sentences (ids, {@code <eos>} last) that have at least 2 words, in input order. */
  public List<Fill> fill(SentenceVaeModel model, List<int[]> sentences) {
    List<Integer> usable = new ArrayList<>();
    for (int i = 0; i < sentences.size(); i++) {
      if (heldOut(words(sentences.get(i))) > 0) {
        usable.add(i);
      }
    }
    List<Fill> out = new ArrayList<>(usable.size());
    for (int from = 0; from < usable.size(); from += batchSize) {
      List<Integer> part = usable.subList(from, Math.min(usable.size(), from + batchSize));
      out.addAll(fillBatch(model, sentences, part));
    }
    return out;
  }

  private static int words(int[] sentence) {
    int n = sentence.length;
    return n > 0 && sentence[n - 1] == SentenceTables.EOS ? n - 1 : n;
  }

  private List<Fill> fillBatch(SentenceVaeModel model, List<int[]> sentences, List<Integer> indices) {
    int n = indices.size();
    int[][] full = new int[n][];
    int[][] prefixes = new int[n][];
    int[][] visible = new int[n][];
    int[][] heldOut = new int[n][];
    int maxLength = 1;
    for (int b = 0; b < n; b++) {
      int[] s = sentences.get(indices.get(b));
      int words = words(s);
      int held = heldOut(words);
      int keep = words - held;
      full[b] = s;
      prefixes[b] = Arrays.copyOf(s, keep);
      visible[b] = Arrays.copyOf(prefixes[b], keep + 1);
      visible[b][keep] = SentenceTables.EOS;
      heldOut[b] = Arrays.copyOfRange(s, keep, words);
      maxLength = Math.max(maxLength, words);
    }
    double[][] z = model.posteriorMeans(SentenceShard.batchOf(visible));
    double[][] logLikelihoods = model.tokenLogLikelihoods(SentenceShard.batchOf(full), z);
    int[][] fills = decoding.kind() == Decoding.Kind.GREEDY ? greedyFills(model, z, prefixes, heldOut, maxLength)
        : model.beamComplete(z, prefixes, Arrays.stream(heldOut).mapToInt(h -> h.length).toArray(),
            SentenceTables.EOS, decoding.beamSize());
    List<Fill> out = new ArrayList<>(n);
    for (int b = 0; b < n; b++) {
      int keep = prefixes[b].length;
      int held = heldOut[b].length;
      int[] fill = fills[b];
      double ll = 0;
      for (int t = keep; t < keep + held; t++) {
        ll += logLikelihoods[b][t];
      }
      int matched = 0;
      for (int t = 0; t < Math.min(held, fill.length); t++) {
        matched += fill[t] == heldOut[b][t] ? 1 : 0;
      }
      out.add(new Fill(indices.get(b), prefixes[b], heldOut[b], fill, ll, matched));
    }
    return out;
  }

  /** The greedy decodes after the prefixes, cut at {@code <eos>} or the held-out length. */
  private static int[][] greedyFills(SentenceVaeModel model, double[][] z, int[][] prefixes, int[][] heldOut,
      int maxLength) {
    int[][] decoded = model.greedyDecode(z, maxLength, SentenceTables.EOS, prefixes);
    int[][] fills = new int[decoded.length][];
    for (int b = 0; b < decoded.length; b++) {
      int keep = prefixes[b].length;
      int[] d = decoded[b];
      int end = keep;
      while (end < d.length && end < keep + heldOut[b].length && d[end] != SentenceTables.EOS) {
        end++;
      }
      fills[b] = Arrays.copyOfRange(d, keep, end);
    }
    return fills;
  }

  /**
   * The summary over fills: {@code impute_loglik} (mean held-out log-likelihood per sentence, nats),
   * {@code impute_loglik_word} (per held-out word), {@code impute_exact_match} (share of sentences
   * whose fill equals the held-out words), {@code impute_word_match} (share of held-out words
   * matched at their position), {@code impute_sentences}.
   */
  public static Map<String, Double> summary(List<Fill> fills) {
    if (fills.isEmpty()) {
      throw new IllegalArgumentException("no sentence of at least 2 words to impute");
    }
    double ll = 0;
    long words = 0;
    long matched = 0;
    int exact = 0;
    for (Fill f : fills) {
      ll += f.heldOutLogLikelihood();
      words += f.heldOut().length;
      matched += f.matchedWords();
      exact += f.exactMatch() ? 1 : 0;
    }
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("impute_loglik", ll / fills.size());
    m.put("impute_loglik_word", ll / words);
    m.put("impute_exact_match", exact / (double) fills.size());
    m.put("impute_word_match", matched / (double) words);
    m.put("impute_sentences", (double) fills.size());
    return m;
  }
}
