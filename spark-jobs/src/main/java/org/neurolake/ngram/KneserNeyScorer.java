package org.neurolake.ngram;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neurolake.pipelines.table.Columns;
import scala.collection.JavaConverters;

/**
 * Scores words in context with a {@link KnModel}, as a Spark job: each query (history, word) becomes
 * one row per order (its context the last n-1 words of the history), left-joined with the model's
 * n-grams (the discounted probability, 0 when unseen) and contexts (the backoff weight, 1 when the
 * context is unseen); grouped back by query, the orders fold from the uniform distribution upwards:
 * p_n = prob_n + backoff_n · p_{n-1}.
 */
public final class KneserNeyScorer {
  private KneserNeyScorer() {}

  public static final String QUERY_ID = "query_id";
  public static final String HISTORY = "history";
  private static final String LEVELS = "levels";

  /** Queries: an id, the words before the predicted one (any length; the last order-1 are used) and the word. */
  public static final StructType QUERY_SCHEMA = new StructType()
      .add(QUERY_ID, DataTypes.LongType, false)
      .add(HISTORY, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add(Columns.WORD, DataTypes.IntegerType, false);

  private static final StructType LEVEL_SCHEMA = new StructType()
      .add(QUERY_ID, DataTypes.LongType, false)
      .add(Columns.NGRAM_ORDER, DataTypes.IntegerType, false)
      .add(Columns.CONTEXT, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add(Columns.WORD, DataTypes.IntegerType, false);

  /** Perplexity of a split: exp(-Σ log p / tokens) over every predicted token ({@code <eos>} included, {@code <s>} not). */
  public record Perplexity(long sentences, long tokens, double logProb, double ppl) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d sentences, %d predicted tokens, log p = %.2f, ppl = %.2f",
          sentences, tokens, logProb, ppl);
    }
  }

  /** (query_id, prob) of every query (columns as {@link #QUERY_SCHEMA}). */
  public static Dataset<Row> probabilities(KnModel model, Dataset<Row> queries) {
    int order = model.order();
    FlatMapFunction<Row, Row> levels = q -> {
      long id = q.getLong(0);
      List<Integer> history = SentenceIds.ints(q, 1);
      int word = q.getInt(2);
      List<Row> out = new ArrayList<>(order);
      for (int n = 1; n <= Math.min(order, history.size() + 1); n++) {
        out.add(RowFactory.create(id, n, history.subList(history.size() - n + 1, history.size()).toArray(new Integer[0]),
            word));
      }
      return out.iterator();
    };
    Dataset<Row> rows = queries.select(QUERY_ID, HISTORY, Columns.WORD).flatMap(levels, Encoders.row(LEVEL_SCHEMA));
    Dataset<Row> ngrams = model.ngrams().select(Columns.NGRAM_ORDER, Columns.CONTEXT, Columns.WORD, Columns.PROB);
    Dataset<Row> contexts = model.contexts().select(Columns.NGRAM_ORDER, Columns.CONTEXT, Columns.BACKOFF);
    Dataset<Row> joined = rows
        .join(ngrams, seq(Columns.NGRAM_ORDER, Columns.CONTEXT, Columns.WORD), "left")
        .join(contexts, seq(Columns.NGRAM_ORDER, Columns.CONTEXT), "left");
    Column level = struct(col(Columns.NGRAM_ORDER), coalesce(col(Columns.PROB), lit(0.0)).as("alpha"),
        coalesce(col(Columns.BACKOFF), lit(1.0)).as("gamma"));
    double uniform = 1.0 / model.predictedWords();
    return joined.groupBy(QUERY_ID).agg(sort_array(collect_list(level)).as(LEVELS))
        .select(col(QUERY_ID), expr(String.format(Locale.ROOT,
            "aggregate(%s, CAST(%s AS DOUBLE), (acc, x) -> x.alpha + x.gamma * acc)", LEVELS,
            Double.toString(uniform))).as(Columns.PROB));
  }

  /** Every predicted position of id sentences ({@code <s>} first) as a query; query_id = sentence, position. */
  static Dataset<Row> sentenceQueries(Dataset<Row> idSentences, int order) {
    FlatMapFunction<Row, Row> positions = r -> {
      long sentId = r.getLong(0);
      List<Integer> ids = SentenceIds.ints(r, 1);
      if (ids.size() >= (1 << 20)) {
        throw new IllegalArgumentException("sentence " + sentId + " has " + ids.size() + " tokens (at most 2^20)");
      }
      List<Row> out = new ArrayList<>(ids.size());
      for (int i = 1; i < ids.size(); i++) {
        out.add(RowFactory.create((sentId << 20) | i,
            ids.subList(Math.max(0, i - order + 1), i).toArray(new Integer[0]), ids.get(i)));
      }
      return out.iterator();
    };
    return idSentences.select(Columns.SENT_ID, Columns.IDS).flatMap(positions, Encoders.row(QUERY_SCHEMA));
  }

  /** The perplexity of id sentences ({@code <s>} first) under the model. */
  public static Perplexity perplexity(KnModel model, Dataset<Row> idSentences) {
    Dataset<Row> probs = probabilities(model, sentenceQueries(idSentences, model.order()));
    Row r = probs.agg(count(lit(1)), sum(log(col(Columns.PROB))),
        sum(when(col(Columns.PROB).leq(0), 1L).otherwise(0L))).first();
    long tokens = r.getLong(0);
    if (tokens == 0) {
      throw new IllegalArgumentException("no tokens to score");
    }
    if (r.getLong(2) > 0) {
      throw new IllegalStateException(r.getLong(2) + " tokens have probability 0: the model is broken");
    }
    long sentences = idSentences.count();
    double logProb = r.getDouble(1);
    return new Perplexity(sentences, tokens, logProb, Math.exp(-logProb / tokens));
  }

  private static scala.collection.Seq<String> seq(String... columns) {
    return JavaConverters.asScalaBuffer(List.of(columns)).toSeq();
  }
}
