package org.neurolake.ngram;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.neurolake.pipelines.lm.SpecialTokens;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.LakeTables;

/**
 * Estimates an interpolated modified Kneser-Ney n-gram model (Chen and Goodman 1998) as SRILM's
 * {@code ngram-count -interpolate -kndiscount} does, without count cutoffs, with Spark aggregations
 * only (the driver sees the counts of counts, a handful of numbers per order).
 *
 * <ul>
 *   <li>Each sentence is {@code <s> w1 .. wn <eos>}; n-grams stay within a sentence; every position
 *       after {@code <s>} is predicted with up to order-1 words of context ({@code <s>} included).</li>
 *   <li>The highest order keeps its counts. A lower-order n-gram's count is its continuation count,
 *       the number of distinct words seen before it (N1+(• g)), except an n-gram that starts with
 *       {@code <s>}, which cannot be extended to the left and keeps its count (as SRILM does).</li>
 *   <li>D1, D2, D3+ per order from that order's counts of counts ({@link KnDiscounts}).</li>
 *   <li>p(w | h) = max(c(hw) - D(c(hw)), 0) / c(h•) + γ(h) p(w | h') with
 *       γ(h) = (D1 N1(h•) + D2 N2(h•) + D3+ N3+(h•)) / c(h•); an unseen context passes the lower
 *       order's probability through; below the unigrams is the uniform distribution over the
 *       predicted words (the vocabulary without {@code <s>}).</li>
 * </ul>
 */
public final class KneserNeyEstimator {
  private KneserNeyEstimator() {}

  static final StructType NGRAM_SCHEMA = new StructType()
      .add(Columns.NGRAM_ORDER, DataTypes.IntegerType, false)
      .add(Columns.CONTEXT, DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add(Columns.WORD, DataTypes.IntegerType, false);

  /** Every n-gram occurrence (orders 1..order) of id sentences ({@code <s>} first), one row each. */
  static Dataset<Row> occurrences(Dataset<Row> idSentences, int order) {
    FlatMapFunction<Row, Row> grams = r -> {
      List<Integer> ids = SentenceIds.ints(r, 0);
      List<Row> out = new ArrayList<>();
      for (int i = 1; i < ids.size(); i++) {
        for (int n = 1; n <= Math.min(order, i + 1); n++) {
          out.add(RowFactory.create(n, ids.subList(i - n + 1, i).toArray(new Integer[0]), ids.get(i)));
        }
      }
      return out.iterator();
    };
    return idSentences.select(Columns.IDS).flatMap(grams, Encoders.row(NGRAM_SCHEMA));
  }

  /** The (modified) counts the model is estimated from: ngram_order, context, word, count. */
  static Dataset<Row> knCounts(Dataset<Row> idSentences, int order) {
    Dataset<Row> raw = occurrences(idSentences, order)
        .groupBy(Columns.NGRAM_ORDER, Columns.CONTEXT, Columns.WORD).agg(count(lit(1)).as(Columns.COUNT));
    Dataset<Row> highest = raw.where(col(Columns.NGRAM_ORDER).equalTo(order));
    Dataset<Row> startingWithBos = raw.where(col(Columns.NGRAM_ORDER).lt(order)
        .and(col(Columns.CONTEXT).getItem(0).equalTo(SpecialTokens.BOS_ID)));
    // Each distinct (n+1)-gram is one distinct left extension of its last n words.
    Dataset<Row> continuation = raw.where(col(Columns.NGRAM_ORDER).gt(1))
        .select(col(Columns.NGRAM_ORDER).minus(1).as(Columns.NGRAM_ORDER),
            expr("slice(" + Columns.CONTEXT + ", 2, size(" + Columns.CONTEXT + ") - 1)").as(Columns.CONTEXT),
            col(Columns.WORD))
        .groupBy(Columns.NGRAM_ORDER, Columns.CONTEXT, Columns.WORD).agg(count(lit(1)).as(Columns.COUNT));
    return highest.unionByName(startingWithBos).unionByName(continuation);
  }

  /** D1, D2, D3+ of every order, lowest first, from the counts of counts of {@code knCounts}. */
  static List<KnDiscounts> discounts(Dataset<Row> knCounts, int order) {
    Column c = col(Columns.COUNT);
    List<Row> rows = knCounts.groupBy(Columns.NGRAM_ORDER).agg(
        sum(when(c.equalTo(1), 1L).otherwise(0L)), sum(when(c.equalTo(2), 1L).otherwise(0L)),
        sum(when(c.equalTo(3), 1L).otherwise(0L)), sum(when(c.equalTo(4), 1L).otherwise(0L))).collectAsList();
    List<KnDiscounts> out = rows.stream().map(r -> KnDiscounts.of(r.getInt(0), r.getLong(1), r.getLong(2),
        r.getLong(3), r.getLong(4))).sorted(Comparator.comparingInt(KnDiscounts::order)).toList();
    if (out.size() != order) {
      throw new IllegalArgumentException("the training sentences have n-grams of orders "
          + out.stream().map(KnDiscounts::order).toList() + ", not all of 1.." + order);
    }
    return out;
  }

  /** A per-order constant as a column expression (the discounts are a few numbers: no join needed). */
  private static Column byOrder(List<KnDiscounts> discounts, java.util.function.ToDoubleFunction<KnDiscounts> value) {
    Column e = lit(Double.NaN);
    for (KnDiscounts d : discounts) {
      e = when(col(Columns.NGRAM_ORDER).equalTo(d.order()), lit(value.applyAsDouble(d))).otherwise(e);
    }
    return e;
  }

  /** The model of id sentences ({@code <s>} first); its datasets are persisted (unpersist when written). */
  public static KnModel estimate(Dataset<Row> idSentences, int order, int predictedWords, String corpus,
      String vocabId) {
    if (order < 1) {
      throw new IllegalArgumentException("order must be >= 1: " + order);
    }
    Dataset<Row> counts = knCounts(idSentences, order).persist(StorageLevel.MEMORY_AND_DISK());
    List<KnDiscounts> discounts = discounts(counts, order);
    Column c = col(Columns.COUNT);
    Dataset<Row> contexts = counts.groupBy(Columns.NGRAM_ORDER, Columns.CONTEXT).agg(
            sum(c).as(Columns.TOTAL),
            sum(when(c.equalTo(1), 1L).otherwise(0L)).as(Columns.N1),
            sum(when(c.equalTo(2), 1L).otherwise(0L)).as(Columns.N2),
            sum(when(c.geq(3), 1L).otherwise(0L)).as(Columns.N3_PLUS))
        .withColumn(Columns.BACKOFF, byOrder(discounts, KnDiscounts::d1).multiply(col(Columns.N1))
            .plus(byOrder(discounts, KnDiscounts::d2).multiply(col(Columns.N2)))
            .plus(byOrder(discounts, KnDiscounts::d3plus).multiply(col(Columns.N3_PLUS)))
            .divide(col(Columns.TOTAL)))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Column discount = when(c.equalTo(1), byOrder(discounts, KnDiscounts::d1))
        .when(c.equalTo(2), byOrder(discounts, KnDiscounts::d2))
        .otherwise(byOrder(discounts, KnDiscounts::d3plus));
    Dataset<Row> totals = contexts.select(Columns.NGRAM_ORDER, Columns.CONTEXT, Columns.TOTAL);
    Dataset<Row> ngrams = counts.join(totals, scala.collection.JavaConverters.asScalaBuffer(
            List.of(Columns.NGRAM_ORDER, Columns.CONTEXT)).toSeq())
        .select(col(Columns.NGRAM_ORDER), col(Columns.CONTEXT), col(Columns.WORD), c,
            greatest(c.minus(discount), lit(0.0)).divide(col(Columns.TOTAL)).as(Columns.PROB));
    return new KnModel(corpus, vocabId, order, predictedWords, discounts,
        conform(ngrams, LakeTables.KN_NGRAMS.dataSchema()), conform(contexts, LakeTables.KN_CONTEXTS.dataSchema()));
  }

  /** The rows with exactly {@code schema} (names, order, nullability), as the lake's tables require. */
  static Dataset<Row> conform(Dataset<Row> rows, StructType schema) {
    Dataset<Row> selected = rows.select(java.util.Arrays.stream(schema.fieldNames()).map(org.apache.spark.sql.functions::col)
        .toArray(Column[]::new));
    return selected.sparkSession().createDataFrame(selected.javaRDD(), schema);
  }
}
