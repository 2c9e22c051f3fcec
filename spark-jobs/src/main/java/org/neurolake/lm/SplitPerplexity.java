package org.neurolake.lm;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.ModelBroadcast;
import org.neurolake.family.TrainedModel;
import org.neurolake.model.lm.CharTable;
import org.neurolake.model.lm.LstmLmModel;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.model.lm.SequenceScorer;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Columns;

/**
 * The full-softmax perplexity of one split's {@code token_streams} under trained parameters, as a
 * Spark job: the split's chunks go, sorted by (stream_id, chunk), to one task, which reads them in
 * that order (the split's text in sentence order: streams are its contiguous pieces) and scores
 * them with the state carried across chunks and streams ({@link SequenceScorer}). So the result is
 * exactly the perplexity of the split as one stream: every word but the split's first predicted
 * from all words before it. Nothing but the two sums reaches the driver; the task holds one chunk
 * and one window at a time (Spark's sort spills). One task, because an LSTM reads in order.
 */
public final class SplitPerplexity {
  /** Words per scored window by default: the result does not depend on it, only the speed (longer windows, fewer calls). */
  public static final int DEFAULT_WINDOW = 50;

  private SplitPerplexity() {}

  /** The sum of ln p over the split's predicted words and their number. */
  public record Result(double logLikelihood, long tokens) {
    /** Mean negative log-likelihood in nats. */
    public double loss() {
      return -logLikelihood / tokens;
    }

    public double perplexity() {
      return Math.exp(loss());
    }
  }

  /**
   * Scores {@code streams} (rows of one split of token_streams: stream_id, chunk, ids) with the
   * model in windows of {@code windowLength}; {@code chars} for the character-CNN input, else null.
   *
   * @param what names the split in errors
   */
  public static Result score(SparkSession spark, Dataset<Row> streams, TrainedModel<LstmLmSpec> model,
      CharTable chars, int windowLength, String what) {
    Dataset<Row> ordered = streams.select(Columns.STREAM_ID, Columns.CHUNK, Columns.IDS).coalesce(1)
        .sortWithinPartitions(Columns.STREAM_ID, Columns.CHUNK);
    List<Row> sums;
    try (ModelBroadcast<LstmLmSpec> b = ModelBroadcast.of(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        model)) {
      sums = b.map(ordered.toJavaRDD(), (spec, parameters, rows) -> scoreInOrder(spec, parameters, rows, chars,
          windowLength, what)).collect();
    }
    double logLikelihood = 0;
    long tokens = 0;
    for (Row r : sums) {
      logLikelihood += r.getDouble(0);
      tokens += r.getLong(1);
    }
    if (tokens == 0) {
      throw new BadInputException(what + " has fewer than 2 words in token_streams: nothing to score (run token-streams)");
    }
    return new Result(logLikelihood, tokens);
  }

  /** One partition's rows, sorted by (stream_id, chunk), scored in order; checks streams 0, 1, ... and chunks 0, 1, ... */
  private static Iterator<Row> scoreInOrder(LstmLmSpec spec, float[] parameters, Iterator<Row> rows, CharTable chars,
      int windowLength, String what) {
    if (!rows.hasNext()) {
      return List.<Row>of().iterator();
    }
    LstmLmModel model = spec.build();
    model.setParameters(parameters);
    SequenceScorer scorer = new SequenceScorer(model, windowLength, chars);
    int stream = -1;
    int nextChunk = 0;
    while (rows.hasNext()) {
      Row r = rows.next();
      int s = r.getInt(0);
      int c = r.getInt(1);
      if (s != stream) {
        if (s != stream + 1 || c != 0) {
          String from = stream < 0 ? "starts at" : "goes from stream " + stream + " (chunks 0.." + (nextChunk - 1)
              + ") to";
          throw new BadInputException(what + ": token_streams " + from + " stream " + s + " chunk " + c
              + "; expected stream " + (stream + 1) + " chunk 0 (rerun token-streams)");
        }
        stream = s;
        nextChunk = 0;
      }
      if (c != nextChunk) {
        throw new BadInputException(what + ": stream " + s + " has chunk " + c + " after chunk " + (nextChunk - 1)
            + " (rerun token-streams)");
      }
      nextChunk++;
      List<Integer> ids = r.getList(2);
      scorer.accept(ids.stream().mapToInt(Integer::intValue).toArray());
    }
    scorer.finish();
    return List.of(RowFactory.create(scorer.logLikelihood(), scorer.tokens())).iterator();
  }
}
