package org.neurolake.lfads;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.lfads.SpikeShard;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.train.ClassificationShards;
import scala.Tuple2;

/**
 * Packs trials of {@code spike_trials} into one {@link SpikeShard} per task slot: trial j in trial
 * order goes to shard j mod (N+b). Cached on the executors for the whole run.
 */
public final class SpikeShards {
  private SpikeShards() {}

  /** The session's shape, checked to be the same for every trial. */
  public record Shape(int nNeurons, int nBins, double binMs) implements java.io.Serializable {}

  public static JavaRDD<ExampleShard> of(Dataset<Row> trials, int shards, Shape shape, int[] heldIn, int[] heldOut) {
    JavaRDD<ExampleShard> out = trials.select(col(Columns.TRIAL), col(Columns.COUNTS)).orderBy(col(Columns.TRIAL))
        .toJavaRDD().zipWithIndex()
        .mapToPair(t -> new Tuple2<>(t._2(), t._1()))
        .partitionBy(new ClassificationShards.ModuloPartitioner(shards))
        .mapPartitions(it -> {
          List<Tuple2<Long, Row>> rows = new ArrayList<>();
          it.forEachRemaining(rows::add);
          if (rows.isEmpty()) {
            throw new IllegalArgumentException("a shard got no trials: fewer training trials than N+b = " + shards);
          }
          rows.sort((a, b) -> Long.compare(a._1(), b._1()));
          List<int[]> counts = new ArrayList<>(rows.size());
          for (Tuple2<Long, Row> r : rows) {
            counts.add(counts(r._2().getInt(0), r._2().getList(1), shape));
          }
          return List.<ExampleShard>of(SpikeShard.fromNeuronMajor(counts, shape.nNeurons(), shape.nBins(), heldIn,
              heldOut)).iterator();
        }, true);
    return out.persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** A trial's counts (neuron-major), checked against the session's shape. */
  public static int[] counts(int trial, List<Integer> values, Shape shape) {
    if (values.size() != shape.nNeurons() * shape.nBins()) {
      throw new IllegalArgumentException("trial " + trial + " has " + values.size() + " counts; the session has "
          + shape.nNeurons() + " neurons x " + shape.nBins() + " bins");
    }
    int[] c = new int[values.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = values.get(i);
    }
    return c;
  }
}
