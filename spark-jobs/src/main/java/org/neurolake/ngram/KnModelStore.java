package org.neurolake.ngram;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;

/**
 * Writes a {@link KnModel} to the lake: partition model_id of kn_ngrams, kn_contexts and kn_discounts,
 * each replaced atomically; kn_discounts last, so a model that {@link KnModel#read} finds has its
 * n-grams and contexts (a rerun that fails half-way leaves the old discounts with new tables only if
 * it failed between the commits).
 */
public final class KnModelStore {
  private KnModelStore() {}

  public record Written(long ngrams, long contexts) {}

  public static Written write(SparkSession spark, Lake lake, String modelId, KnModel model) {
    PartitionCommitter committer = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    var ngramsPath = committer.replace(model.ngrams(), lake, LakeTables.KN_NGRAMS,
        PartitionKey.of(LakeTables.KN_NGRAMS, modelId));
    var contextsPath = committer.replace(model.contexts(), lake, LakeTables.KN_CONTEXTS,
        PartitionKey.of(LakeTables.KN_CONTEXTS, modelId));
    List<Row> rows = model.discounts().stream().map(d -> RowFactory.create(model.corpus(), model.vocabId(), d.order(),
        d.n1(), d.n2(), d.n3(), d.n4(), d.d1(), d.d2(), d.d3plus(), model.predictedWords())).toList();
    Dataset<Row> discounts = spark.createDataFrame(rows, LakeTables.KN_DISCOUNTS.dataSchema()).coalesce(1);
    committer.replace(discounts, lake, LakeTables.KN_DISCOUNTS, PartitionKey.of(LakeTables.KN_DISCOUNTS, modelId));
    return new Written(spark.read().parquet(ngramsPath.toString()).count(),
        spark.read().parquet(contextsPath.toString()).count());
  }
}
