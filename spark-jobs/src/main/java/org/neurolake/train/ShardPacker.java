package org.neurolake.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.neurolake.model.api.ExampleShard;
import scala.Tuple2;

/**
 * Packs a family's training items (examples, trials, document chunks) into the engine's N+b shards:
 * one partition per task slot, holding one {@link ExampleShard} built by the family from its items,
 * cached on the executors for the whole run. The one place the distribution of items over shards is
 * decided:
 * <ul>
 *   <li>{@link #byPosition}: item j of an ordered RDD goes to shard j mod (N+b), and each shard gets
 *       its items in that order (examples, trials);</li>
 *   <li>{@link #byKey}: an item goes to shard key mod (N+b), so items of one key (a document's chunks)
 *       are never split between shards, whatever the partitioning or row order.</li>
 * </ul>
 * A shard that gets no item is an error: there are fewer items than N+b.
 */
public final class ShardPacker {
  private ShardPacker() {}

  /** Builds a shard from its items (in the order the packer gives them). */
  @FunctionalInterface
  public interface Pack<T> extends Serializable {
    ExampleShard pack(List<T> items) throws Exception;
  }

  /** A key of an item; the shard is its floor-mod by the number of shards. */
  @FunctionalInterface
  public interface Key<T> extends Serializable {
    long of(T item);
  }

  /**
   * Item j (in {@code ordered}'s order) to shard j mod {@code shards}, in order.
   *
   * @param what the items' name in errors, e.g. "trials"
   */
  public static <T> JavaRDD<ExampleShard> byPosition(JavaRDD<T> ordered, int shards, String what, Pack<T> pack) {
    return ordered.zipWithIndex().mapToPair(t -> new Tuple2<>(t._2(), t._1()))
        .partitionBy(new ModuloPartitioner(shards))
        .mapPartitions(it -> {
          List<Tuple2<Long, T>> keyed = new ArrayList<>();
          it.forEachRemaining(keyed::add);
          keyed.sort((a, b) -> Long.compare(a._1(), b._1()));
          List<T> items = new ArrayList<>(keyed.size());
          keyed.forEach(k -> items.add(k._2()));
          return List.of(packOne(items, shards, what, pack)).iterator();
        }, true)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** An item to shard {@code key(item)} mod {@code shards}, in the order the items arrive. */
  public static <T> JavaRDD<ExampleShard> byKey(JavaRDD<T> items, int shards, String what, Key<T> key, Pack<T> pack) {
    return items.mapToPair(t -> new Tuple2<>(key.of(t), t))
        .partitionBy(new ModuloPartitioner(shards))
        .mapPartitions(it -> {
          List<T> list = new ArrayList<>();
          it.forEachRemaining(t -> list.add(t._2()));
          return List.of(packOne(list, shards, what, pack)).iterator();
        }, true)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  private static <T> ExampleShard packOne(List<T> items, int shards, String what, Pack<T> pack) throws Exception {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a shard got no " + what + ": fewer " + what + " than N+b = " + shards);
    }
    return pack.pack(items);
  }

  /** Key k goes to partition k mod n. */
  static final class ModuloPartitioner extends Partitioner {
    private final int n;

    ModuloPartitioner(int n) {
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

    @Override
    public boolean equals(Object o) {
      return o instanceof ModuloPartitioner p && p.n == n;
    }

    @Override
    public int hashCode() {
      return n;
    }
  }
}
