package org.neurolake.lm;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.lm.CharTable;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.model.lm.StreamPerplexity;
import org.neurolake.model.lm.TokenChunk;
import org.neurolake.model.lm.TokenStreamShard;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
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
 * perplexity of the validation split, streamed in order with carried state
 * ({@link StreamPerplexity}). The character-CNN input reads {@code vocab_chars}; the unigram
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
        + "(--dataset = corpus/vocab_id); data.* train-split, valid-split, eval-rows";
  }

  @Override
  public Class<LstmLmSpec> specType() {
    return LstmLmSpec.class;
  }

  @Override
  public List<DataRead> reads(Lake lake, String dataset) {
    String[] p = dataset.split("/");
    if (p.length != 2) {
      throw new IllegalArgumentException("--dataset for lstm-lm is corpus/vocab_id (e.g. ptb/ptb-10k), got " + dataset);
    }
    return List.of(
        new DataRead("vocab", lake.partitionPath(LakeTables.VOCAB, PartitionKey.of(LakeTables.VOCAB, p[0], p[1]))),
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
    return TableReader.read(spark, lake, LakeTables.VOCAB).where(col(Columns.CORPUS).equalTo(data.corpus())
        .and(col(Columns.VOCAB_ID).equalTo(data.vocabId())));
  }

  private static Dataset<Row> streams(SparkSession spark, Lake lake, LmData data, String split) {
    return TableReader.read(spark, lake, LakeTables.TOKEN_STREAMS).where(col(Columns.CORPUS).equalTo(data.corpus())
        .and(col(Columns.VOCAB_ID).equalTo(data.vocabId())).and(col(Columns.SPLIT).equalTo(split)));
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
    if (spec.input() != LstmLmSpec.InputKind.CHAR_CNN) {
      return null;
    }
    CharTable.Builder b = CharTable.builder(corpus.vocabSize(), spec.charCnn().maxWordLength());
    Dataset<Row> rows = TableReader.read(corpus.spark(), corpus.lake(), LakeTables.VOCAB_CHARS)
        .where(col(Columns.CORPUS).equalTo(corpus.data().corpus())
            .and(col(Columns.VOCAB_ID).equalTo(corpus.data().vocabId())))
        .select(Columns.ID, Columns.CHARS);
    for (Row r : rows.collectAsList()) {
      List<Integer> chars = r.getList(1);
      b.put(r.getInt(0), chars.stream().mapToInt(Integer::intValue).toArray());
    }
    return b.build();
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

  @Override
  public TrainingRun.Evaluator evaluator(Corpus corpus, LstmLmSpec spec) {
    List<Row> rows = streams(corpus.spark(), corpus.lake(), corpus.data(), corpus.data().validSplit())
        .select(Columns.STREAM_ID, Columns.CHUNK, Columns.IDS).orderBy(Columns.STREAM_ID, Columns.CHUNK)
        .collectAsList();
    List<int[]> streams = new ArrayList<>();
    int previous = Integer.MIN_VALUE;
    List<int[]> parts = new ArrayList<>();
    for (Row r : rows) {
      TokenChunk c = chunk(r);
      if (c.streamId() != previous && !parts.isEmpty()) {
        streams.add(concat(parts));
        parts.clear();
      }
      previous = c.streamId();
      parts.add(c.ids());
    }
    if (!parts.isEmpty()) {
      streams.add(concat(parts));
    }
    if (streams.isEmpty()) {
      System.out.printf("lstm-lm: %s/%s has no %s split: no evaluation%n", corpus.data().corpus(),
          corpus.data().vocabId(), corpus.data().validSplit());
      return TrainingRun.Evaluator.NONE;
    }
    StreamPerplexity perplexity = new StreamPerplexity(streams, corpus.data().evalRows(), spec.unrollLength(),
        charTable(corpus, spec));
    System.out.printf("lstm-lm: evaluating on %d %s tokens in %d rows%n", perplexity.predictions(),
        corpus.data().validSplit(), corpus.data().evalRows());
    return TrainingRun.Evaluator.on(spec.build(), model -> {
      model.resetState();
      List<TrainingRun.Evaluation> out = new ArrayList<>();
      perplexity.evaluate(model).forEach((k, v) -> out.add(new TrainingRun.Evaluation(VALID, k, v)));
      return out;
    });
  }

  private static int[] concat(List<int[]> parts) {
    int[] out = new int[parts.stream().mapToInt(p -> p.length).sum()];
    int at = 0;
    for (int[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }

  @Override
  public LmData describe(Corpus corpus) {
    return corpus.data();
  }
}
