package org.neurolake.sentiment;

import static org.apache.spark.sql.functions.col;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.mlstm.ByteChunk;
import org.neurolake.model.mlstm.ByteStreamShard;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.train.ShardPacker;

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
    JavaRDD<Row> rows = sequences.select(col(Columns.DOC_ID), col(Columns.SEQ_INDEX), col(Columns.BYTES)).toJavaRDD();
    return ShardPacker.byKey(rows, shards, "documents", r -> shardOf(r.getString(0), shards),
        list -> ByteStreamShard.fromChunks(list.stream()
            .map(r -> new ByteChunk(r.getString(0), r.getInt(1), (byte[]) r.get(2))).toList(), streams, windowLength));
  }

  /** The shard of a document: a mixed hash of its id (String.hashCode is specified, so stable across JVMs). */
  public static int shardOf(String docId, int shards) {
    long h = docId.hashCode() * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    return (int) Math.floorMod(h, (long) shards);
  }
}
