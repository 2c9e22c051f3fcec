package org.neurolake.lm;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;

import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainedModel;
import org.neurolake.family.TrainRequest;
import org.neurolake.family.VocabDataset;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.lm.CharTable;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.model.lm.TokenChunk;
import org.neurolake.model.lm.TokenStreamShard;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.ShardPacker;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/**
 * The word-level LSTM language model of "Exploring the Limits of Language Modeling" as a model
 * family: {@code --dataset corpus/vocab_id} trains on that vocabulary's {@code token_streams} of the
 * training split, each stream whole in one shard (a stable hash of its stream id) and laid out in
 * {@code batch-size} lanes of {@code unrollLength}-word windows; evaluates the full-softmax
 * perplexity of the whole validation split, streamed in order with carried state
 * ({@link SplitPerplexity}). The character-CNN input reads {@code vocab_chars}; the unigram
 * proposal ({@code model.proposal = UNIGRAM}) the vocabulary's counts.
 */
public final class LstmLmFamily implements ModelFamily<LstmLmSpec, LstmLmFamily.Corpus> {
  public static final String NAME = "lstm-lm";
  /** The evaluations' split name. */
  public static final String VALID = "valid";

  /** The run's data: the session, the settings, the vocabulary size and the training split's rows. */
  public record Corpus(SparkSession spark, Lake lake, LmData data, int vocabSize, Dataset<Row> trainStreams) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "the LSTM language model (LSTMP, word or character-CNN input, full or sampled softmax) on token_streams "
        + "(--dataset = corpus/vocab_id); data.* train-split, valid-split";
  }

  @Override
  public Class<LstmLmSpec> specType() {
    return LstmLmSpec.class;
  }

  @Override
  public List<DataRead> reads(Lake lake, String dataset) {
    return List.of(VocabDataset.parse(NAME, dataset).vocabRead(lake),
        new DataRead("token_streams", lake.tablePath(LakeTables.TOKEN_STREAMS)));
  }

  @Override
  public Corpus load(SparkSession spark, TrainRequest request) {
    LmData data = LmData.from(request.dataset(), request.options());
    Row size = vocab(spark, request.lake(), data).agg(max(col(Columns.ID)), count(col(Columns.ID))).first();
    if (size.isNullAt(0)) {
      throw new IllegalArgumentException("vocabulary " + data.corpus() + "/" + data.vocabId() + " has no words: run "
          + "build-vocab first");
    }
    int vocabSize = size.getInt(0) + 1;
    if (size.getLong(1) != vocabSize) {
      throw new IllegalArgumentException("vocabulary " + data.corpus() + "/" + data.vocabId() + " has " + size.getLong(1)
          + " rows for ids 0.." + (vocabSize - 1) + ": ids must be dense and distinct");
    }
    return new Corpus(spark, request.lake(), data, vocabSize, streams(spark, request.lake(), data, data.trainSplit()));
  }

  private static Dataset<Row> vocab(SparkSession spark, Lake lake, LmData data) {
    return LmTables.vocab(spark, lake, data.corpus(), data.vocabId());
  }

  private static Dataset<Row> streams(SparkSession spark, Lake lake, LmData data, String split) {
    return LmTables.streams(spark, lake, data.corpus(), data.vocabId(), split);
  }

  /**
   * The defaults at the data's vocabulary size, {@code batch-size} streams and the run's seed, then
   * the run's {@code model.*} options; {@code model.proposal = UNIGRAM} takes the vocabulary's counts.
   */
  @Override
  public LstmLmSpec spec(Corpus corpus, TrainRequest request) {
    TrainerConfig tc = request.trainer();
    Map<String, String> options = request.options().model();
    LstmLmSpec.Builder b = LstmLmSpec.builder(corpus.vocabSize()).batchStreams(tc.batchSize()).seed(tc.seed());
    if (LstmLmSpec.Proposal.UNIGRAM.name().equals(options.get("proposal"))) {
      b.sampledSoftmax(LstmLmSpec.DEFAULT_NEGATIVES, unigramCounts(corpus));
    }
    LstmLmSpec spec = ModelSpecOptions.apply(b.build(), options);
    if (spec.batchStreams() != tc.batchSize()) {
      throw new IllegalArgumentException("model.batchStreams (" + spec.batchStreams() + ") must equal batch-size ("
          + tc.batchSize() + "): each batch row is one stream");
    }
    return spec;
  }

  private static List<Long> unigramCounts(Corpus corpus) {
    Long[] counts = new Long[corpus.vocabSize()];
    for (Row r : vocab(corpus.spark(), corpus.lake(), corpus.data()).select(Columns.ID, Columns.COUNT)
        .collectAsList()) {
      counts[r.getInt(0)] = r.getLong(1);
    }
    return List.of(counts);
  }

  private static CharTable charTable(Corpus corpus, LstmLmSpec spec) {
    return LmTables.charTable(corpus.spark(), corpus.lake(), corpus.data().corpus(), corpus.data().vocabId(), spec);
  }

  @Override
  public JavaRDD<ExampleShard> shards(Corpus corpus, LstmLmSpec spec, TrainerConfig trainer) {
    CharTable chars = charTable(corpus, spec);
    int lanes = spec.batchStreams();
    int window = spec.unrollLength();
    JavaRDD<Row> rows = corpus.trainStreams().select(Columns.STREAM_ID, Columns.CHUNK, Columns.IDS).toJavaRDD();
    return ShardPacker.byKey(rows, trainer.tasksPerRound(), "token streams", r -> shardKey(r.getInt(0)),
        list -> TokenStreamShard.fromChunks(list.stream().map(LstmLmFamily::chunk).toList(), lanes, window, chars));
  }

  /** A mixed hash of the stream id: streams are numbered 0..n-1, and consecutive ids should not share shards in runs. */
  static long shardKey(int streamId) {
    long h = streamId * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  private static TokenChunk chunk(Row r) {
    List<Integer> ids = r.getList(2);
    return new TokenChunk(r.getInt(0), r.getInt(1), ids.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * The full-softmax perplexity of the whole valid split, in order with the state carried, as a
   * Spark job ({@link SplitPerplexity}): metrics loss, perplexity, log_likelihood, tokens.
   */
  @Override
  public TrainingRun.Evaluator evaluator(Corpus corpus, LstmLmSpec spec) {
    LmData data = corpus.data();
    Dataset<Row> valid = streams(corpus.spark(), corpus.lake(), data, data.validSplit());
    if (valid.isEmpty()) {
      System.out.printf("lstm-lm: %s/%s has no %s split: no evaluation%n", data.corpus(), data.vocabId(),
          data.validSplit());
      return TrainingRun.Evaluator.NONE;
    }
    CharTable chars = charTable(corpus, spec);
    String what = data.corpus() + "/" + data.vocabId() + " " + data.validSplit();
    return (parameters, step) -> {
      SplitPerplexity.Result r = SplitPerplexity.score(corpus.spark(), valid,
          new TrainedModel<>(spec, parameters, 0), chars, SplitPerplexity.DEFAULT_WINDOW, what);
      return List.of(new TrainingRun.Evaluation(VALID, "loss", r.loss()),
          new TrainingRun.Evaluation(VALID, "perplexity", r.perplexity()),
          new TrainingRun.Evaluation(VALID, "log_likelihood", r.logLikelihood()),
          new TrainingRun.Evaluation(VALID, "tokens", r.tokens()));
    };
  }

  @Override
  public LmData describe(Corpus corpus) {
    return corpus.data();
  }
}
