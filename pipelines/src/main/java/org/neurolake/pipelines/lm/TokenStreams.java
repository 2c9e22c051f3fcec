package org.neurolake.pipelines.lm;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;

/**
 * Turns a split's {@code sentences} into {@code token_streams}: word ids in sentence order
 * ({@code <eos>} ends each sentence; no {@code <s>}), laid out by a {@link StreamLayout}.
 *
 * <p>Streaming, in two passes over the sentences sorted by sent_id: the first counts each sorted
 * partition's tokens (one number per partition reaches the driver), which gives every partition the
 * global position of its first token; the second maps words to ids (broadcast {@link VocabLookup})
 * and emits, per partition, the pieces of chunks it holds. A chunk that straddles two partitions
 * arrives as two pieces, which the final grouping by (stream_id, chunk) puts together in position
 * order.
 */
public final class TokenStreams {
  private TokenStreams() {}

  public record Config(String corpus, String vocabId, String split, int streams, int chunkLength) {
    public Config {
      PartitionKey.requireSafe(corpus);
      PartitionKey.requireSafe(vocabId);
      PartitionKey.requireSafe(split);
      if (streams < 1 || chunkLength < 1) {
        throw new IllegalArgumentException("--streams and --chunk-length must be >= 1");
      }
    }
  }

  public record Result(String split, long tokens, int streams, long chunks, Path path) {}

  private static final String FIRST = "first";
  private static final String PIECES = "pieces";
  private static final StructType PIECE_SCHEMA = new StructType()
      .add(Columns.STREAM_ID, DataTypes.IntegerType, false)
      .add(Columns.CHUNK, DataTypes.IntegerType, false)
      .add(FIRST, DataTypes.LongType, false)
      .add(Columns.IDS, DataTypes.createArrayType(DataTypes.IntegerType, false), false);

  /** The token_streams rows of {@code sentences} (sent_id, tokens, ...) and the layout they were cut by. */
  public record Streams(Dataset<Row> rows, StreamLayout layout) {}

  public static Streams streams(SparkSession spark, Dataset<Row> sentences, Broadcast<VocabLookup> vocab,
      int streams, int chunkLength) {
    JavaRDD<Row> ordered = sentences.select(Columns.SENT_ID, Columns.TOKENS).sort(Columns.SENT_ID).javaRDD();
    List<long[]> perPartition = ordered.mapPartitionsWithIndex((index, rows) -> {
      long n = 0;
      while (rows.hasNext()) {
        n += rows.next().getList(1).size();
      }
      return List.of(new long[] {index, n}).iterator();
    }, true).collect();
    long[] firstPosition = new long[ordered.getNumPartitions() + 1];
    for (long[] p : perPartition) {
      firstPosition[(int) p[0] + 1] = p[1];
    }
    for (int i = 1; i < firstPosition.length; i++) {
      firstPosition[i] += firstPosition[i - 1];
    }
    long total = firstPosition[firstPosition.length - 1];
    if (total < streams) {
      throw new BadInputException("token-streams: " + total + " tokens cannot fill " + streams + " streams");
    }
    StreamLayout layout = new StreamLayout(total, streams, chunkLength);
    JavaRDD<Row> pieces = ordered.mapPartitionsWithIndex(
        (index, rows) -> new Pieces(rows, firstPosition[index], layout, vocab.value()), true);
    Dataset<Row> grouped = spark.createDataFrame(pieces, PIECE_SCHEMA)
        .groupBy(Columns.STREAM_ID, Columns.CHUNK)
        .agg(sort_array(collect_list(struct(col(FIRST), col(Columns.IDS)))).as(PIECES))
        .select(col(Columns.STREAM_ID), col(Columns.CHUNK), expr("flatten(transform(" + PIECES + ", p -> p.ids))")
            .as(Columns.IDS));
    Dataset<Row> rows = grouped.map((MapFunction<Row, Row>) r -> RowFactory.create(r.getInt(0), r.getInt(1),
        r.getList(2).toArray(new Integer[0])), Encoders.row(LakeTables.TOKEN_STREAMS.dataSchema()));
    return new Streams(rows, layout);
  }

  public static Result run(SparkSession spark, Lake lake, Config cfg) {
    Dataset<Row> sentences = TableReader.read(spark, lake, LakeTables.SENTENCES)
        .where(col(Columns.CORPUS).equalTo(cfg.corpus()).and(col(Columns.SPLIT).equalTo(cfg.split())));
    VocabLookup lookup = VocabLookup.read(spark, lake, cfg.corpus(), cfg.vocabId());
    Broadcast<VocabLookup> vocab = new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext()).broadcast(lookup);
    try {
      Streams s = streams(spark, sentences, vocab, cfg.streams(), cfg.chunkLength());
      Path p = new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(s.rows(), lake,
          LakeTables.TOKEN_STREAMS, PartitionKey.of(LakeTables.TOKEN_STREAMS, cfg.corpus(), cfg.vocabId(), cfg.split()));
      long chunks = spark.read().parquet(p.toString()).count();
      return new Result(cfg.split(), s.layout().total(), cfg.streams(), chunks, p);
    } finally {
      vocab.destroy();
    }
  }

  /** The chunk pieces of one sorted partition, produced lazily (at most one chunk's ids in memory). */
  private static final class Pieces implements Iterator<Row> {
    private final Iterator<Row> sentences;
    private final StreamLayout layout;
    private final VocabLookup vocab;
    private long position;
    private List<Object> pendingTokens = List.of();
    private int pendingIndex;
    private final List<Integer> ids = new ArrayList<>();
    private int stream = -1;
    private int chunk = -1;
    private long first;
    private Row next;

    Pieces(Iterator<Row> sentences, long firstPosition, StreamLayout layout, VocabLookup vocab) {
      this.sentences = sentences;
      this.position = firstPosition;
      this.layout = layout;
      this.vocab = vocab;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = advance();
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = next;
      next = null;
      return r;
    }

    /** Reads tokens until a piece is complete (the next token is in another chunk, or input ends). */
    private Row advance() {
      while (true) {
        while (pendingIndex >= pendingTokens.size()) {
          if (!sentences.hasNext()) {
            return flush();
          }
          pendingTokens = sentences.next().getList(1);
          pendingIndex = 0;
        }
        int s = layout.streamOf(position);
        int c = (int) ((position - layout.start(s)) / layout.chunkLength());
        Row done = null;
        if (s != stream || c != chunk) {
          done = flush();
          stream = s;
          chunk = c;
          first = position;
        }
        ids.add(vocab.id((String) pendingTokens.get(pendingIndex++)));
        position++;
        if (done != null) {
          return done;
        }
      }
    }

    private Row flush() {
      if (ids.isEmpty()) {
        return null;
      }
      Row r = RowFactory.create(stream, chunk, first, ids.toArray(new Integer[0]));
      ids.clear();
      return r;
    }
  }
}
