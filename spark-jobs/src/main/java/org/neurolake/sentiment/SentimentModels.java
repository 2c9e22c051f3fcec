package org.neurolake.sentiment;

import java.util.List;
import java.util.Locale;

/**
 * Names the sentiment-neuron jobs share: the {@code evaluations} / {@code data_efficiency}
 * partitions of each model, and the sources the language model may never train on.
 */
public final class SentimentModels {
  /** The byte-level mLSTM language model (held-out bits per byte). */
  public static final String MLSTM = "mlstm";
  /** The L1 logistic-regression probe on the mLSTM's features. */
  public static final String PROBE = "mlstm-probe";
  /** The single sentiment unit, thresholded. */
  public static final String UNIT = "mlstm-unit";
  /** Hashed bag-of-words logistic regression on the same split. */
  public static final String BOW = "bow-baseline";
  /** Hashed byte 1-3-gram logistic regression on the same split. */
  public static final String NGRAM = "ngram-baseline";
  /** Evaluation split of the language model's held-out sample (the sources' dev and test documents). */
  public static final String HELD_OUT = "heldout";
  /** The probe's choice, beside the run's checkpoints. */
  public static final String SENTIMENT_UNIT_FILE = "sentiment_unit.json";

  /** Sentiment benchmarks kept out of language-model training (the probe is scored on them). */
  public static final List<String> EVALUATION_ONLY_SOURCES = List.of("sst2");

  private SentimentModels() {}

  /** Fails, naming the source, when a training source is an evaluation-only benchmark. */
  public static void requireTrainable(String source) {
    if (EVALUATION_ONLY_SOURCES.contains(source.toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException("source '" + source + "' is an evaluation benchmark (" + EVALUATION_ONLY_SOURCES
          + "): the language model must not train on it; train on review corpora such as imdb, amazon");
    }
  }
}
