package org.neurolake.lfads;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.lfads.SpikeShard;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.train.ShardPacker;

/**
 * Trials of {@code spike_trials} as {@link SpikeShard}s, one per task slot: trial j in trial order
 * goes to shard j mod (N+b) ({@link ShardPacker#byPosition}).
 */
public final class SpikeShards {
  private SpikeShards() {}

  /** The session's shape, checked to be the same for every trial. */
  public record Shape(int nNeurons, int nBins, double binMs) implements java.io.Serializable {}

  public static JavaRDD<ExampleShard> of(Dataset<Row> trials, int shards, Shape shape, int[] heldIn, int[] heldOut) {
    return ShardPacker.byPosition(trials.select(col(Columns.TRIAL), col(Columns.COUNTS)).orderBy(col(Columns.TRIAL))
        .toJavaRDD(), shards, "trials", rows -> {
          List<int[]> counts = new ArrayList<>(rows.size());
          for (Row r : rows) {
            counts.add(counts(r.getInt(0), r.getList(1), shape));
          }
          return SpikeShard.fromNeuronMajor(counts, shape.nNeurons(), shape.nBins(), heldIn, heldOut);
        });
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
