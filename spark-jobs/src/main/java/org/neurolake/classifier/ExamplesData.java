package org.neurolake.classifier;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.model.mlp.DenseShard;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.ClassificationShards;

/**
 * An {@code examples} dataset as a classifier family trains on it: its train split, its shape
 * (feature width, classes) and up to {@link #MAX_TEST} test examples for evaluation.
 */
public record ExamplesData(String dataset, Dataset<Row> train, int dims, int nClasses, long trainCount,
    DenseShard test) {
  /** Test examples evaluated after each evaluation round (a fixed prefix of the split). */
  public static final int MAX_TEST = 20_000;

  /** What the run record keeps. */
  public record Description(String dataset, int dims, @com.fasterxml.jackson.annotation.JsonProperty("n_classes")
      int nClasses, @com.fasterxml.jackson.annotation.JsonProperty("train_examples") long trainExamples) {}

  public static List<DataRead> reads(Lake lake, String dataset) {
    return List.of(new DataRead("examples", lake.partitionPath(LakeTables.EXAMPLES,
        PartitionKey.of(LakeTables.EXAMPLES, dataset))));
  }

  public static ExamplesData load(SparkSession spark, Lake lake, String dataset) {
    PartitionKey.requireSafe(dataset);
    Dataset<Row> examples = TableReader.read(spark, lake, LakeTables.EXAMPLES)
        .where(col(Columns.DATASET).equalTo(dataset));
    Dataset<Row> train = examples.where(col(Columns.SPLIT).equalTo("train"));
    Row shape = train.selectExpr("max(label) + 1", "first(size(features))", "count(*)").first();
    if (shape.getLong(2) == 0) {
      throw new IllegalArgumentException("examples/dataset=" + dataset + " has no train split");
    }
    int nClasses = shape.getInt(0);
    DenseShard test = ClassificationShards.collect(examples.where(col(Columns.SPLIT).equalTo("test")), nClasses,
        MAX_TEST);
    return new ExamplesData(dataset, train, shape.getInt(1), nClasses, shape.getLong(2), test);
  }

  public Description describe() {
    return new Description(dataset, dims, nClasses, trainCount);
  }
}
