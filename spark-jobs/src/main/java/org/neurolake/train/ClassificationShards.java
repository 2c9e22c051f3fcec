package org.neurolake.train;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.mlp.DenseShard;
import org.neurolake.pipelines.table.Columns;

/**
 * An {@code examples} split as {@link DenseShard}s: one per task slot ({@link ShardPacker#byPosition}:
 * example j in the table's order to shard j mod (N+b)), or all of a split for evaluation.
 */
public final class ClassificationShards {
  private ClassificationShards() {}

  public static JavaRDD<ExampleShard> of(Dataset<Row> examples, int shards, int nClasses) {
    return ShardPacker.byPosition(examples.select(col(Columns.FEATURES), col(Columns.LABEL)).toJavaRDD(), shards,
        "examples", rows -> pack(rows, nClasses));
  }

  private static DenseShard pack(List<Row> rows, int nClasses) {
    int dims = rows.get(0).<Float>getList(0).size();
    float[] x = new float[rows.size() * dims];
    int[] y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      List<Float> f = rows.get(i).getList(0);
      if (f.size() != dims) {
        throw new IllegalArgumentException("example " + i + " of a shard has " + f.size() + " features, others "
            + dims);
      }
      for (int d = 0; d < dims; d++) {
        x[i * dims + d] = f.get(d);
      }
      y[i] = rows.get(i).getInt(1);
    }
    return new DenseShard(x, y, dims, nClasses);
  }

  /** All of a split as one shard (for evaluation on the driver). */
  public static DenseShard collect(Dataset<Row> examples, int nClasses, int max) {
    List<Row> rows = examples.select(col(Columns.FEATURES), col(Columns.LABEL)).limit(max).collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no examples to evaluate on");
    }
    return pack(rows, nClasses);
  }
}
