package org.neurolake.pipelines.table;

import static org.neurolake.pipelines.table.Columns.*;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The schemas of every table the ingestion jobs write. Matrices are stored flattened in
 * row-major (neuron-major) order: element (n, t) of an n_neurons x n_bins matrix is at index
 * {@code n * n_bins + t}.
 */
public final class LakeTables {
  private LakeTables() {}

  private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }

  private static StructField partition(String name) {
    return field(name, DataTypes.StringType, false);
  }

  /** One document per row; text_bytes are the preprocessed UTF-8 bytes. Partitioned by source. */
  public static final TableDef DOCUMENTS = new TableDef("documents",
      new StructType(new StructField[] {
          field(DOC_ID, DataTypes.StringType, false),
          field(SPLIT, DataTypes.StringType, false),
          field(TEXT_BYTES, DataTypes.BinaryType, false),
          field(N_BYTES, DataTypes.IntegerType, false),
          field(RATING, DataTypes.DoubleType, true),
          field(LABEL, DataTypes.IntegerType, true)}),
      List.of(partition(SOURCE))).withPlainEncoding(DOC_ID, TEXT_BYTES);

  /**
   * Consecutive, non-overlapping chunks of a document's bytes; concatenating a document's rows in
   * seq_index order gives its text_bytes. Partitioned by source.
   */
  public static final TableDef BYTE_SEQUENCES = new TableDef("byte_sequences",
      new StructType(new StructField[] {
          field(DOC_ID, DataTypes.StringType, false),
          field(SPLIT, DataTypes.StringType, false),
          field(SEQ_INDEX, DataTypes.IntegerType, false),
          field(BYTES, DataTypes.BinaryType, false)}),
      List.of(partition(SOURCE))).withPlainEncoding(BYTES);

  /**
   * Binned spike counts, one trial per row; counts is n_neurons x n_bins, neuron-major; trial_info
   * holds the trial table's other columns (event times in ms from the trial start, ids, ...), null
   * when the recording has none. Partitioned by session.
   */
  public static final TableDef SPIKE_TRIALS = new TableDef("spike_trials",
      new StructType(new StructField[] {
          field(TRIAL, DataTypes.IntegerType, false),
          field(CONDITION, DataTypes.StringType, true),
          field(N_NEURONS, DataTypes.IntegerType, false),
          field(N_BINS, DataTypes.IntegerType, false),
          field(BIN_MS, DataTypes.DoubleType, false),
          field(COUNTS, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
          // Last, so rows without it (partitions written before it existed) read it as null.
          field(TRIAL_INFO, DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, true), true)}),
      List.of(partition(SESSION)));

  /**
   * Ground truth of synthetic sessions: firing rates in Hz (n_neurons x n_bins) and latent states
   * (n_latents x n_bins), both neuron-major; the input pulse's bin, or null. Partitioned by session.
   */
  public static final TableDef TRUTH = new TableDef("truth",
      new StructType(new StructField[] {
          field(TRIAL, DataTypes.IntegerType, false),
          field(CONDITION, DataTypes.StringType, true),
          field(N_NEURONS, DataTypes.IntegerType, false),
          field(N_BINS, DataTypes.IntegerType, false),
          field(BIN_MS, DataTypes.DoubleType, false),
          field(RATES_HZ, DataTypes.createArrayType(DataTypes.DoubleType, false), false),
          field(N_LATENTS, DataTypes.IntegerType, false),
          field(LATENTS, DataTypes.createArrayType(DataTypes.DoubleType, false), false),
          field(INPUT_BIN, DataTypes.IntegerType, true),
          field(INPUT_MAGNITUDE, DataTypes.DoubleType, false)}),
      List.of(partition(SESSION)));

  /** Labeled feature vectors for classifiers (the engine's benchmark model, MELC, ODM). Partitioned by dataset. */
  public static final TableDef EXAMPLES = new TableDef("examples",
      new StructType(new StructField[] {
          field(SPLIT, DataTypes.StringType, false),
          field(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false),
          field(LABEL, DataTypes.IntegerType, false)}),
      List.of(partition(DATASET)));

  /**
   * One row per task attempt of every training round: when and where it ran, whether its result
   * was among the first N (accepted), its loss and examples when its result arrived, and its
   * round's number of backups b (fixed, or chosen under {@code backups = auto}; null in partitions
   * written before the column existed). Partitioned by run. A resumed run appends the rounds it (re)ran.
   */
  public static final TableDef TRAIN_ROUNDS = new TableDef("train_rounds",
      new StructType(new StructField[] {
          field(ROUND, DataTypes.IntegerType, false),
          field(TASK_INDEX, DataTypes.IntegerType, false),
          field(PARTITION, DataTypes.IntegerType, false),
          field(EXECUTOR, DataTypes.StringType, false),
          field(START_MS, DataTypes.LongType, false),
          field(END_MS, DataTypes.LongType, false),
          field(ACCEPTED, DataTypes.BooleanType, false),
          field(LOSS, DataTypes.DoubleType, true),
          field(EXAMPLE_COUNT, DataTypes.LongType, true),
          field(BACKUPS, DataTypes.IntegerType, true)}),
      List.of(partition(RUN_ID)));

  /**
   * Simulated training ({@code simulate-training}): one row per synchronous round or asynchronous
   * update of each setting, on the virtual clock. Partitioned by simulation; replaced per run.
   */
  public static final TableDef SIM_ROUNDS = new TableDef("sim_rounds",
      new StructType(new StructField[] {
          field(SETTING, DataTypes.StringType, false),
          field(UPDATE_INDEX, DataTypes.LongType, false),
          field(VIRTUAL_S, DataTypes.DoubleType, false),
          field(LOSS, DataTypes.DoubleType, false),
          field(WORKERS, DataTypes.IntegerType, false),
          field(BACKUPS, DataTypes.IntegerType, false),
          field(STALENESS, DataTypes.IntegerType, false)}),
      List.of(partition(SIM_ID)));

  /** Every evaluation figure of every model and run. Partitioned by model; appended one file at a time. */
  public static final TableDef EVALUATIONS = new TableDef("evaluations",
      new StructType(new StructField[] {
          field(RUN_ID, DataTypes.StringType, false),
          field(DATASET, DataTypes.StringType, false),
          field(SPLIT, DataTypes.StringType, false),
          field(METRIC, DataTypes.StringType, false),
          field(VALUE, DataTypes.DoubleType, false),
          field(ROUND, DataTypes.IntegerType, true),
          field(CREATED_AT, DataTypes.TimestampType, false)}),
      List.of(partition(MODEL)));

  /**
   * Population-based training: one row per member and generation of a search run. {@code
   * hyperparameters} are the member's values during the generation (option name to value, e.g.
   * {@code learning-rate}, {@code model.keepProb}); {@code parent} the member whose parameters and
   * optimizer state it started the generation from (itself when it kept its own); {@code metric} and
   * {@code value} the selection metric ({@code split/metric}) at the generation's end, after
   * {@code round} rounds in total. Partitioned by run; a resumed run rewrites its partition.
   */
  public static final TableDef PBT_MEMBERS = new TableDef("pbt_members",
      new StructType(new StructField[] {
          field(GENERATION, DataTypes.IntegerType, false),
          field(MEMBER, DataTypes.IntegerType, false),
          field(PARENT, DataTypes.IntegerType, false),
          field(HYPERPARAMETERS, DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, false), false),
          field(METRIC, DataTypes.StringType, false),
          field(VALUE, DataTypes.DoubleType, true),
          field(ROUND, DataTypes.IntegerType, false)}),
      List.of(partition(RUN_ID)));

  /**
   * What a trained LFADS run infers for every trial of a session: posterior-mean firing rates in Hz
   * (n_neurons x n_bins, neuron-major, as spike_trials and truth), factors (n_factors x n_bins) and
   * inferred inputs (n_inputs x n_bins, empty without a controller), and the trial's split in that
   * run. Partitioned by run and session; a rerun replaces its partition.
   */
  public static final TableDef LFADS_OUTPUTS = new TableDef("lfads_outputs",
      new StructType(new StructField[] {
          field(TRIAL, DataTypes.IntegerType, false),
          field(SPLIT, DataTypes.StringType, false),
          field(N_NEURONS, DataTypes.IntegerType, false),
          field(N_BINS, DataTypes.IntegerType, false),
          field(BIN_MS, DataTypes.DoubleType, false),
          field(RATES_HZ, DataTypes.createArrayType(DataTypes.DoubleType, false), false),
          field(N_FACTORS, DataTypes.IntegerType, false),
          field(FACTORS, DataTypes.createArrayType(DataTypes.DoubleType, false), false),
          field(N_INPUTS, DataTypes.IntegerType, false),
          field(INPUTS, DataTypes.createArrayType(DataTypes.DoubleType, false), false)}),
      List.of(partition(RUN_ID), partition(SESSION)));

  /**
   * The sentiment probe's data-efficiency curve: test (or dev) accuracy of a probe trained on
   * n_examples labeled examples, one row per (run, n_examples, seed, split). Partitioned by model.
   */
  public static final TableDef DATA_EFFICIENCY = new TableDef("data_efficiency",
      new StructType(new StructField[] {
          field(RUN_ID, DataTypes.StringType, false),
          field(N_EXAMPLES, DataTypes.IntegerType, false),
          field(SEED, DataTypes.IntegerType, false),
          field(SPLIT, DataTypes.StringType, false),
          field(ACCURACY, DataTypes.DoubleType, false),
          field(CREATED_AT, DataTypes.TimestampType, false)}),
      List.of(partition(MODEL)));

  /**
   * A trained mLSTM run's features of a documents source: the cell state after each whole document
   * (the sentiment neuron paper's representation), with the document's label when it has one.
   * Partitioned by run, source and split; each partition is replaced atomically.
   */
  public static final TableDef DOCUMENT_FEATURES = new TableDef("features",
      new StructType(new StructField[] {
          field(DOC_ID, DataTypes.StringType, false),
          field(LABEL, DataTypes.IntegerType, true),
          field(CELL_STATE, DataTypes.createArrayType(DataTypes.FloatType, false), false)}),
      List.of(partition(RUN_ID), partition(SOURCE), partition(SPLIT)));

  /**
   * Text sampled from a trained mLSTM run: the primer, the sampling settings (the clamped cell-state
   * unit and its value, or null) and the generated continuation. Partitioned by run; appended.
   * sample-lm writes an LSTM-LM run's sentences here too: primer = the prefix words, clamp_* null.
   */
  public static final TableDef SAMPLES = new TableDef("samples",
      new StructType(new StructField[] {
          field(SAMPLE_ID, DataTypes.StringType, false),
          field(PRIMER, DataTypes.StringType, false),
          field(TEMPERATURE, DataTypes.DoubleType, false),
          field(SEED, DataTypes.LongType, false),
          field(CLAMP_UNIT, DataTypes.IntegerType, true),
          field(CLAMP_VALUE, DataTypes.DoubleType, true),
          field(TEXT, DataTypes.StringType, false),
          field(CREATED_AT, DataTypes.TimestampType, false)}),
      List.of(partition(RUN_ID)));

  /**
   * Sentences decoded by a sentence-VAE run (sample-vae) from z drawn from the prior N(0, I): the
   * draw's seed (z and, at temperature > 0, the sampled words), the decoding temperature (0 =
   * greedy), z and the words (ending with {@code <eos>} when decoded). Partitioned by run; appended.
   */
  public static final TableDef VAE_SAMPLES = new TableDef("vae_samples",
      new StructType(new StructField[] {
          field(SAMPLE_ID, DataTypes.StringType, false),
          field(SEED, DataTypes.LongType, false),
          field(TEMPERATURE, DataTypes.DoubleType, false),
          field(Z, DataTypes.createArrayType(DataTypes.FloatType, false), false),
          field(TEXT, DataTypes.StringType, false),
          field(CREATED_AT, DataTypes.TimestampType, false)}),
      List.of(partition(RUN_ID)));

  /**
   * A sentence-VAE run's homotopies (homotopy): for each pair of sentences, greedy decodes of
   * z = (1 - alpha) mu_1 + alpha mu_2 between their posterior means, step 0 .. k-1 at
   * alpha = step / (k - 1). Partitioned by run; a rerun replaces its partition.
   */
  public static final TableDef HOMOTOPIES = new TableDef("homotopies",
      new StructType(new StructField[] {
          field(PAIR_ID, DataTypes.IntegerType, false),
          field(STEP, DataTypes.IntegerType, false),
          field(ALPHA, DataTypes.DoubleType, false),
          field(TEXT, DataTypes.StringType, false),
          field(CREATED_AT, DataTypes.TimestampType, false)}),
      List.of(partition(RUN_ID)));

  /**
   * Imputation of the last 20% of a sentence's words (impute) by a sentence-VAE run (z = the
   * posterior mean of the visible prefix) or its RNNLM baseline: the prefix shown, the held-out words,
   * the model's fill (at most n_held_out words, up to {@code <eos>}), log p(held-out words |
   * prefix, z) in nats, how many fill words equal the held-out word at their position, whether
   * the fill equals the held-out words, and how the fill was decoded ({@code greedy} or
   * {@code beam}, and the beam size; 1 for greedy; null in partitions written before the option).
   * Partitioned by run (the model's); a rerun replaces it.
   */
  public static final TableDef IMPUTATIONS = new TableDef("imputations",
      new StructType(new StructField[] {
          field(SPLIT, DataTypes.StringType, false),
          field(SENT_ID, DataTypes.LongType, false),
          field(PREFIX, DataTypes.StringType, false),
          field(HELD_OUT, DataTypes.StringType, false),
          field(FILL, DataTypes.StringType, false),
          field(N_HELD_OUT, DataTypes.IntegerType, false),
          field(HELD_OUT_LOGLIK, DataTypes.DoubleType, false),
          field(MATCHED_WORDS, DataTypes.IntegerType, false),
          field(EXACT_MATCH, DataTypes.BooleanType, false),
          field(DECODING, DataTypes.StringType, true),
          field(BEAM_SIZE, DataTypes.IntegerType, true),
          field(CREATED_AT, DataTypes.TimestampType, false)}),
      List.of(partition(RUN_ID)));

  /**
   * Records an ingestion job refused, with where they came from and why: record is a readable
   * excerpt (invalid UTF-8 shown as U+FFFD), record_bytes the record's first bytes exactly as read.
   * Partitioned by table and dataset.
   */
  public static final TableDef QUARANTINE = new TableDef("quarantine",
      new StructType(new StructField[] {
          field(SOURCE_FILE, DataTypes.StringType, false),
          field(LOCATION, DataTypes.StringType, false),
          field(REASON, DataTypes.StringType, false),
          field(RECORD, DataTypes.StringType, true),
          field(RECORD_BYTES, DataTypes.BinaryType, true)}),
      List.of(partition(TABLE), partition(DATASET)));

  /**
   * A tokenized corpus: one sentence per row, its tokens in order (the corpus's own tokenization,
   * split on whitespace, {@code <eos>} appended); sent_id is the line number in the split's input.
   * Partitioned by corpus and split.
   */
  public static final TableDef SENTENCES = new TableDef("sentences",
      new StructType(new StructField[] {
          field(SENT_ID, DataTypes.LongType, false),
          field(TOKENS, DataTypes.createArrayType(DataTypes.StringType, false), false),
          field(N_TOKENS, DataTypes.IntegerType, false)}),
      List.of(partition(CORPUS), partition(SPLIT)));

  /**
   * A word vocabulary of a corpus: ids 0, 1, 2 are {@code <unk>}, {@code <eos>}, {@code <s>}, then the
   * training split's words by count (descending, ties by the word). count = training occurrences
   * (for {@code <unk>}: every training token that maps to it). Partitioned by corpus and vocab_id.
   */
  public static final TableDef VOCAB = new TableDef("vocab",
      new StructType(new StructField[] {
          field(WORD, DataTypes.StringType, false),
          field(ID, DataTypes.IntegerType, false),
          field(COUNT, DataTypes.LongType, false)}),
      List.of(partition(CORPUS), partition(VOCAB_ID)));

  /**
   * The character-CNN input of each vocabulary word: begin-of-word (256), the word's UTF-8 bytes,
   * end-of-word (257), padded with 258 to 50 values (longer words cut). Partitioned as vocab.
   */
  public static final TableDef VOCAB_CHARS = new TableDef("vocab_chars",
      new StructType(new StructField[] {
          field(ID, DataTypes.IntegerType, false),
          field(CHARS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)}),
      List.of(partition(CORPUS), partition(VOCAB_ID)));

  /**
   * A split's word ids in sentence order ({@code <eos>} after each sentence, no {@code <s>}), cut into
   * n contiguous streams (stream_id in [0, n)), each cut into fixed-length pieces numbered by chunk
   * in order (a stream's last piece may be shorter). Concatenating stream 0's chunks, then stream 1's,
   * ... gives the whole split. Partitioned by corpus, vocab_id and split.
   */
  public static final TableDef TOKEN_STREAMS = new TableDef("token_streams",
      new StructType(new StructField[] {
          field(STREAM_ID, DataTypes.IntegerType, false),
          field(CHUNK, DataTypes.IntegerType, false),
          field(IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false)}),
      List.of(partition(CORPUS), partition(VOCAB_ID), partition(SPLIT)));

  /**
   * An interpolated Kneser-Ney model's n-grams: per order, context (the n-1 previous word ids) and
   * word, the (modified) count and the discounted probability max(count - D, 0) / total(context).
   * Partitioned by model.
   */
  public static final TableDef KN_NGRAMS = new TableDef("kn_ngrams",
      new StructType(new StructField[] {
          field(NGRAM_ORDER, DataTypes.IntegerType, false),
          field(CONTEXT, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
          field(WORD, DataTypes.IntegerType, false),
          field(COUNT, DataTypes.LongType, false),
          field(PROB, DataTypes.DoubleType, false)}),
      List.of(partition(MODEL_ID)));

  /**
   * An interpolated Kneser-Ney model's contexts: per order and context, the total of its n-grams'
   * counts, how many of them have count 1, 2 and 3 or more, and the interpolation weight of the
   * next lower order (backoff). Partitioned by model.
   */
  public static final TableDef KN_CONTEXTS = new TableDef("kn_contexts",
      new StructType(new StructField[] {
          field(NGRAM_ORDER, DataTypes.IntegerType, false),
          field(CONTEXT, DataTypes.createArrayType(DataTypes.IntegerType, false), false),
          field(TOTAL, DataTypes.LongType, false),
          field(N1, DataTypes.LongType, false),
          field(N2, DataTypes.LongType, false),
          field(N3_PLUS, DataTypes.LongType, false),
          field(BACKOFF, DataTypes.DoubleType, false)}),
      List.of(partition(MODEL_ID)));

  /**
   * An interpolated Kneser-Ney model's discounts per order, with the counts of counts they come
   * from, the corpus and vocabulary it was counted on, and the number of words it predicts (the
   * vocabulary without {@code <s>}: the uniform distribution below the unigrams). Partitioned by model.
   */
  public static final TableDef KN_DISCOUNTS = new TableDef("kn_discounts",
      new StructType(new StructField[] {
          field(CORPUS, DataTypes.StringType, false),
          field(VOCAB_ID, DataTypes.StringType, false),
          field(NGRAM_ORDER, DataTypes.IntegerType, false),
          field(N1, DataTypes.LongType, false),
          field(N2, DataTypes.LongType, false),
          field(N3, DataTypes.LongType, false),
          field(N4, DataTypes.LongType, false),
          field(D1, DataTypes.DoubleType, false),
          field(D2, DataTypes.DoubleType, false),
          field(D3_PLUS, DataTypes.DoubleType, false),
          field(PREDICTED_WORDS, DataTypes.IntegerType, false)}),
      List.of(partition(MODEL_ID)));

  /**
   * Output Distribution Matching tasks: split {@code inputs} is the unlabelled input sequence in
   * order ({@code label} its true class, for evaluation and the supervised baselines only), {@code
   * labels} the real label sequence drawn independently of it (empty features), {@code test} held-out
   * examples, {@code alphabet} one example per input symbol (cipher tasks). Partitioned by task.
   */
  public static final TableDef ODM_SEQUENCES = new TableDef("odm_sequences",
      new StructType(new StructField[] {
          field(SPLIT, DataTypes.StringType, false),
          field(POSITION, DataTypes.LongType, false),
          field(FEATURES, DataTypes.createArrayType(DataTypes.FloatType, false), false),
          field(LABEL, DataTypes.IntegerType, false)}),
      List.of(partition(TASK)));

  /** Every table of the lake; {@link LakeCatalog} registers each one that has been written. */
  public static final List<TableDef> ALL = List.of(DOCUMENTS, BYTE_SEQUENCES, SPIKE_TRIALS, TRUTH, QUARANTINE, EXAMPLES,
      TRAIN_ROUNDS, EVALUATIONS, LFADS_OUTPUTS, DATA_EFFICIENCY, DOCUMENT_FEATURES, SAMPLES, SENTENCES, VOCAB, VOCAB_CHARS,
      TOKEN_STREAMS, KN_NGRAMS, KN_CONTEXTS, KN_DISCOUNTS, SIM_ROUNDS,
      ODM_SEQUENCES, PBT_MEMBERS, VAE_SAMPLES, HOMOTOPIES, IMPUTATIONS);
}
