package org.neurolake.train;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.mlp.DenseShard;
import org.neurolake.pipelines.table.Columns;
import scala.Tuple2;

/**
 * Packs an {@code examples} split into one {@link DenseShard} per task slot: example j (in the
 * table's order) goes to shard j mod (N+b), in order. The shards are cached on the executors for
 * the whole run; every round reads them again from memory.
 */
public final class ClassificationShards {
  private ClassificationShards() {}

  public static JavaRDD<ExampleShard> of(Dataset<Row> examples, int shards, int nClasses) {
    Dataset<Row> rows = examples.select(col(Columns.FEATURES), col(Columns.LABEL));
    JavaRDD<ExampleShard> out = rows.toJavaRDD().zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
        .partitionBy(new ModuloPartitioner(shards))
        .mapPartitions(it -> {
          List<Tuple2<Long, Row>> list = new ArrayList<>();
          it.forEachRemaining(list::add);
          list.sort((a, b) -> Long.compare(a._1(), b._1()));
          if (list.isEmpty()) {
            throw new IllegalArgumentException("a shard got no examples: fewer examples than N+b = " + shards);
          }
          int dims = list.get(0)._2().<Float>getList(0).size();
          float[] x = new float[list.size() * dims];
          int[] y = new int[list.size()];
          for (int i = 0; i < list.size(); i++) {
            List<Float> f = list.get(i)._2().getList(0);
            if (f.size() != dims) {
              throw new IllegalArgumentException("example " + list.get(i)._1() + " has " + f.size()
                  + " features, others " + dims);
            }
            for (int d = 0; d < dims; d++) {
              x[i * dims + d] = f.get(d);
            }
            y[i] = list.get(i)._2().getInt(1);
          }
          return List.<ExampleShard>of(new DenseShard(x, y, dims, nClasses)).iterator();
        }, true);
    return out.persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** Key j goes to partition j mod n. */
  public static final class ModuloPartitioner extends org.apache.spark.Partitioner {
    private final int n;

    public ModuloPartitioner(int n) {
      this.n = n;
    }

    @Override
    public int numPartitions() {
      return n;
    }

    @Override
    public int getPartition(Object key) {
      return (int) Math.floorMod((Long) key, (long) n);
    }
  }

  /** All of a split as one shard (for evaluation on the driver). */
  public static DenseShard collect(Dataset<Row> examples, int nClasses, int max) {
    List<Row> rows = examples.select(col(Columns.FEATURES), col(Columns.LABEL)).limit(max).collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no examples to evaluate on");
    }
    int dims = rows.get(0).<Float>getList(0).size();
    float[] x = new float[rows.size() * dims];
    int[] y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      List<Float> f = rows.get(i).getList(0);
      for (int d = 0; d < dims; d++) {
        x[i * dims + d] = f.get(d);
      }
      y[i] = rows.get(i).getInt(1);
    }
    return new DenseShard(x, y, dims, nClasses);
  }
}
