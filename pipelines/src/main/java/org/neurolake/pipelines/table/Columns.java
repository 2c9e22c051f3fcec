package org.neurolake.pipelines.table;

/** Every column name the jobs write, in one place. Schemas in {@link LakeTables} are built from these. */
public final class Columns {
  private Columns() {}

  // documents, byte_sequences
  public static final String DOC_ID = "doc_id";
  public static final String SOURCE = "source";
  public static final String SPLIT = "split";
  public static final String TEXT_BYTES = "text_bytes";
  public static final String N_BYTES = "n_bytes";
  public static final String RATING = "rating";
  public static final String LABEL = "label";
  public static final String SEQ_INDEX = "seq_index";
  public static final String BYTES = "bytes";

  // spike_trials, truth
  public static final String SESSION = "session";
  public static final String TRIAL = "trial";
  public static final String CONDITION = "condition";
  public static final String N_NEURONS = "n_neurons";
  public static final String N_BINS = "n_bins";
  public static final String BIN_MS = "bin_ms";
  public static final String COUNTS = "counts";
  public static final String RATES_HZ = "rates_hz";
  public static final String LATENTS = "latents";
  public static final String N_LATENTS = "n_latents";
  public static final String INPUT_BIN = "input_bin";
  public static final String INPUT_MAGNITUDE = "input_magnitude";
  /** spike_trials: every trial-table column the ingestion did not use, by name (event times, ids, ...). */
  public static final String TRIAL_INFO = "trial_info";

  // examples (feature vectors for classifiers)
  public static final String FEATURES = "features";

  // train_rounds, evaluations
  public static final String RUN_ID = "run_id";
  public static final String ROUND = "round";
  public static final String TASK_INDEX = "task_index";
  public static final String PARTITION = "partition";
  public static final String EXECUTOR = "executor";
  public static final String START_MS = "start_ms";
  public static final String END_MS = "end_ms";
  public static final String ACCEPTED = "accepted";
  public static final String LOSS = "loss";
  public static final String EXAMPLE_COUNT = "examples";
  public static final String MODEL = "model";
  public static final String METRIC = "metric";
  public static final String VALUE = "value";
  public static final String CREATED_AT = "created_at";

  // lfads_outputs
  public static final String N_FACTORS = "n_factors";
  public static final String FACTORS = "factors";
  public static final String N_INPUTS = "n_inputs";
  public static final String INPUTS = "inputs";

  // data_efficiency (the sentiment probe's accuracy against the number of labeled examples)
  public static final String N_EXAMPLES = "n_examples";
  public static final String SEED = "seed";
  public static final String ACCURACY = "accuracy";

  // features (the sentiment neuron's document features), samples (generated text)
  public static final String CELL_STATE = "cell_state";
  public static final String SAMPLE_ID = "sample_id";
  public static final String PRIMER = "primer";
  public static final String TEMPERATURE = "temperature";
  public static final String CLAMP_UNIT = "clamp_unit";
  public static final String CLAMP_VALUE = "clamp_value";
  public static final String TEXT = "text";

  // sentences, vocab, vocab_chars, token_streams (word-level language models)
  public static final String CORPUS = "corpus";
  public static final String SENT_ID = "sent_id";
  public static final String TOKENS = "tokens";
  public static final String N_TOKENS = "n_tokens";
  public static final String VOCAB_ID = "vocab_id";
  public static final String WORD = "word";
  public static final String ID = "id";
  public static final String COUNT = "count";
  public static final String CHARS = "chars";
  public static final String STREAM_ID = "stream_id";
  public static final String CHUNK = "chunk";
  public static final String IDS = "ids";

  // vae_samples, homotopies, imputations (the sentence VAE's generation jobs)
  /** A latent code z as float values (vae_samples: drawn from the prior). */
  public static final String Z = "z";
  public static final String PAIR_ID = "pair_id";
  public static final String STEP = "step";
  public static final String ALPHA = "alpha";
  public static final String PREFIX = "prefix";
  public static final String HELD_OUT = "held_out";
  public static final String FILL = "fill";
  public static final String N_HELD_OUT = "n_held_out";
  public static final String HELD_OUT_LOGLIK = "held_out_loglik";
  public static final String MATCHED_WORDS = "matched_words";
  public static final String EXACT_MATCH = "exact_match";
  /** How a fill was decoded: greedy or beam. */
  public static final String DECODING = "decoding";
  public static final String BEAM_SIZE = "beam_size";

  // kn_ngrams, kn_contexts, kn_discounts (the Kneser-Ney n-gram baseline)
  public static final String MODEL_ID = "model_id";
  public static final String NGRAM_ORDER = "ngram_order";
  public static final String CONTEXT = "context";
  public static final String PROB = "prob";
  public static final String TOTAL = "total";
  public static final String N1 = "n1";
  public static final String N2 = "n2";
  public static final String N3 = "n3";
  public static final String N4 = "n4";
  public static final String N3_PLUS = "n3plus";
  public static final String BACKOFF = "backoff";
  public static final String D1 = "d1";
  public static final String D2 = "d2";
  public static final String D3_PLUS = "d3plus";
  public static final String PREDICTED_WORDS = "predicted_words";

  // odm_sequences (Output Distribution Matching tasks)
  public static final String TASK = "task";
  public static final String POSITION = "position";

  // quarantine
  public static final String TABLE = "table";
  public static final String DATASET = "dataset";
  public static final String SOURCE_FILE = "source_file";
  public static final String LOCATION = "location";
  public static final String REASON = "reason";
  public static final String RECORD = "record";
  public static final String RECORD_BYTES = "record_bytes";

  // pbt_members (population-based training: one row per member and generation)
  public static final String GENERATION = "generation";
  public static final String MEMBER = "member";
  public static final String PARENT = "parent";
  public static final String HYPERPARAMETERS = "hyperparameters";

  // sim_rounds
  public static final String SIM_ID = "sim_id";
  public static final String SETTING = "setting";
  public static final String UPDATE_INDEX = "update_index";
  public static final String VIRTUAL_S = "virtual_s";
  public static final String WORKERS = "workers";
  public static final String BACKUPS = "backups";
  public static final String STALENESS = "staleness";
}
