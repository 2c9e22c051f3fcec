package org.neurolake.pipelines.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Appends rows to a partition of a table, atomically: the rows are written as a single Parquet
 * file in a hidden staging directory, then that one file is renamed into the partition. Readers
 * see all of an append or none of it. For small, frequent appends (evaluations, round metrics);
 * bulk outputs replace whole partitions with {@link PartitionCommitter}. Concurrent appends need no
 * lock: each renames its own uniquely named file. A failed append deletes its staging directory;
 * one killed outright is deleted by a later append or commit beside it ({@link StagingLeftovers}).
 */
public final class TableAppender {
  private final Configuration conf;

  public TableAppender(Configuration conf) {
    this.conf = conf;
  }

  public Path append(Dataset<Row> rows, Lake lake, TableDef table, PartitionKey key) {
    if (!rows.schema().equals(table.dataSchema())) {
      throw new IllegalArgumentException("rows for " + table.name() + " have schema " + rows.schema().simpleString()
          + " but the table's is " + table.dataSchema().simpleString());
    }
    Path partition = lake.partitionPath(table, key);
    String id = UUID.randomUUID().toString();
    Path staging = new Path(partition.getParent(), "." + partition.getName() + ".append-" + id);
    FileSystem fs;
    try {
      fs = partition.getFileSystem(conf);
      StagingLeftovers.sweep(fs, partition.getParent(), StagingLeftovers.DEFAULT_AGE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + partition.getParent(), e);
    }
    try {
      rows.coalesce(1).write().mode(SaveMode.ErrorIfExists).parquet(staging.toString());
      FileStatus[] parts = fs.globStatus(new Path(staging, "part-*"));
      if (parts == null || parts.length != 1) {
        throw new IOException("expected one data file in " + staging + ", found " + (parts == null ? 0 : parts.length));
      }
      fs.mkdirs(partition);
      Path target = new Path(partition, "part-append-" + id + ".parquet");
      if (!fs.rename(parts[0].getPath(), target)) {
        throw new IOException("rename " + parts[0].getPath() + " -> " + target + " failed");
      }
      fs.delete(staging, true);
      return target;
    } catch (IOException e) {
      UncheckedIOException failure = new UncheckedIOException("appending to " + partition + " failed", e);
      StagingLeftovers.deleteAfterFailure(fs, staging, failure);
      throw failure;
    } catch (Exception e) { // SparkException is thrown without being declared
      StagingLeftovers.deleteAfterFailure(fs, staging, e);
      throw e;
    }
  }
}
