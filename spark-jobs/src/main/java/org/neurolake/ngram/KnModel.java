package org.neurolake.ngram;

import static org.apache.spark.sql.functions.col;

import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;

/**
 * An interpolated modified Kneser-Ney model as tables: {@code ngrams} (ngram_order, context, word,
 * count, prob) and {@code contexts} (ngram_order, context, total, n1, n2, n3plus, backoff), with its
 * per-order discounts (lowest order first) and the number of words it predicts.
 */
public record KnModel(String corpus, String vocabId, int order, int predictedWords, List<KnDiscounts> discounts,
    Dataset<Row> ngrams, Dataset<Row> contexts) {

  public KnModel {
    discounts = List.copyOf(discounts);
    if (discounts.size() != order) {
      throw new IllegalArgumentException("a " + order + "-gram model needs " + order + " discount rows, not "
          + discounts.size());
    }
    if (predictedWords < 1) {
      throw new IllegalArgumentException("predicted words must be >= 1: " + predictedWords);
    }
  }

  /** Reads model {@code modelId} from the lake's kn_* tables. */
  public static KnModel read(SparkSession spark, Lake lake, String modelId) {
    List<Row> rows = TableReader.read(spark, lake, LakeTables.KN_DISCOUNTS)
        .where(col(Columns.MODEL_ID).equalTo(modelId)).collectAsList();
    if (rows.isEmpty()) {
      throw new BadInputException("kn_discounts has no model '" + modelId + "': run kn5 first");
    }
    List<Row> sorted = rows.stream().sorted(Comparator.comparingInt(r -> r.getInt(r.fieldIndex(Columns.NGRAM_ORDER))))
        .toList();
    List<KnDiscounts> discounts = sorted.stream().map(r -> new KnDiscounts(r.getInt(r.fieldIndex(Columns.NGRAM_ORDER)),
        r.getLong(r.fieldIndex(Columns.N1)), r.getLong(r.fieldIndex(Columns.N2)), r.getLong(r.fieldIndex(Columns.N3)),
        r.getLong(r.fieldIndex(Columns.N4)), r.getDouble(r.fieldIndex(Columns.D1)), r.getDouble(r.fieldIndex(Columns.D2)),
        r.getDouble(r.fieldIndex(Columns.D3_PLUS)))).toList();
    Row first = sorted.get(0);
    return new KnModel(first.getString(first.fieldIndex(Columns.CORPUS)),
        first.getString(first.fieldIndex(Columns.VOCAB_ID)), sorted.size(),
        first.getInt(first.fieldIndex(Columns.PREDICTED_WORDS)), discounts,
        TableReader.read(spark, lake, LakeTables.KN_NGRAMS).where(col(Columns.MODEL_ID).equalTo(modelId))
            .drop(Columns.MODEL_ID),
        TableReader.read(spark, lake, LakeTables.KN_CONTEXTS).where(col(Columns.MODEL_ID).equalTo(modelId))
            .drop(Columns.MODEL_ID));
  }
}
