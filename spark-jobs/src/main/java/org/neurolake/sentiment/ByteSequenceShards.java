package org.neurolake.sentiment;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.mlstm.ByteChunk;
import org.neurolake.model.mlstm.ByteStreamShard;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.train.ClassificationShards;
import scala.Tuple2;

/**
 * Packs {@code byte_sequences} rows into one {@link ByteStreamShard} per task slot: every chunk of a
 * document goes to shard {@link #shardOf}(doc_id) (a stable hash, so a document is never split
 * between shards and the assignment does not depend on partitioning or row order), and each shard
 * lays its documents out in {@code streams} parallel streams of {@code windowLength}-byte windows.
 * Cached on the executors for the whole run.
 */
public final class ByteSequenceShards {
  private ByteSequenceShards() {}

  public static JavaRDD<ExampleShard> of(Dataset<Row> sequences, int shards, int streams, int windowLength) {
    return sequences.select(col(Columns.DOC_ID), col(Columns.SEQ_INDEX), col(Columns.BYTES)).toJavaRDD()
        .mapToPair(r -> new Tuple2<>((long) shardOf(r.getString(0), shards), r))
        .partitionBy(new ClassificationShards.ModuloPartitioner(shards))
        .mapPartitions(it -> {
          List<ByteChunk> chunks = new ArrayList<>();
          it.forEachRemaining(t -> chunks.add(new ByteChunk(t._2().getString(0), t._2().getInt(1),
              (byte[]) t._2().get(2))));
          if (chunks.isEmpty()) {
            throw new IllegalArgumentException("a shard got no documents: fewer training documents than N+b = "
                + shards);
          }
          return List.<ExampleShard>of(ByteStreamShard.fromChunks(chunks, streams, windowLength)).iterator();
        }, true)
        .persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** The shard of a document: a mixed hash of its id (String.hashCode is specified, so stable across JVMs). */
  public static int shardOf(String docId, int shards) {
    long h = docId.hashCode() * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    return (int) Math.floorMod(h, (long) shards);
  }
}
