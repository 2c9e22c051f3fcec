package org.neurolake.pipelines.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Writes one table partition so that readers never see it half-written.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>{@link #stage} writes the rows as Parquet into a hidden sibling directory
 *       ({@code .<partition>.staging-<uuid>}) that Spark's partition discovery ignores. It returns
 *       only after Spark's job commit wrote {@code _SUCCESS}.</li>
 *   <li>{@link Staged#commit} replaces the visible partition by renaming: the old partition (if
 *       any) is first moved aside, then the staged directory is renamed into place, then the old
 *       one is deleted. A crash can leave the partition absent, never partial; every visible
 *       partition holds {@code _SUCCESS}.</li>
 *   <li>Rerunning a job replaces exactly the partitions it writes (idempotent).</li>
 * </ul>
 */
public final class PartitionCommitter {
  private final Configuration hadoopConf;

  public PartitionCommitter(Configuration hadoopConf) {
    this.hadoopConf = hadoopConf;
  }

  /** A partition written to its staging directory, not yet visible. */
  public final class Staged {
    private final Path staging;
    private final Path target;
    private boolean done;

    private Staged(Path staging, Path target) {
      this.staging = staging;
      this.target = target;
    }

    /** Makes the staged partition the visible one, atomically replacing any previous version. */
    public Path commit() {
      ensureOpen();
      try {
        FileSystem fs = target.getFileSystem(hadoopConf);
        if (!fs.exists(new Path(staging, "_SUCCESS"))) {
          throw new IllegalStateException("refusing to commit " + target + ": staging " + staging
              + " has no _SUCCESS marker");
        }
        Path trash = null;
        if (fs.exists(target)) {
          trash = sibling(target, "trash");
          rename(fs, target, trash);
        }
        rename(fs, staging, target);
        if (trash != null && !fs.delete(trash, true)) {
          throw new IOException("could not delete the replaced partition at " + trash);
        }
        done = true;
        return target;
      } catch (IOException e) {
        throw new UncheckedIOException("committing " + target + " failed", e);
      }
    }

    /** Deletes the staged data; the visible partition is untouched. */
    public void abort() {
      if (done) {
        return;
      }
      try {
        staging.getFileSystem(hadoopConf).delete(staging, true);
        done = true;
      } catch (IOException e) {
        throw new UncheckedIOException("could not delete staging directory " + staging, e);
      }
    }

    private void ensureOpen() {
      if (done) {
        throw new IllegalStateException("partition " + target + " was already committed or aborted");
      }
    }
  }

  /** Writes {@code rows} (which must have exactly the table's data schema) to a staging directory. */
  public Staged stage(Dataset<Row> rows, Lake lake, TableDef table, PartitionKey key) {
    if (!rows.schema().equals(table.dataSchema())) {
      throw new IllegalArgumentException("rows for " + table.name() + " have schema "
          + rows.schema().simpleString() + " but the table's is " + table.dataSchema().simpleString());
    }
    Path target = lake.partitionPath(table, key);
    Path staging = sibling(target, "staging");
    try {
      target.getFileSystem(hadoopConf).mkdirs(target.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + target.getParent(), e);
    }
    DataFrameWriter<Row> writer = rows.write().mode(SaveMode.ErrorIfExists);
    for (String column : table.plainEncodedColumns()) {
      writer = writer.option("parquet.enable.dictionary#" + column, "false");
    }
    writer.parquet(staging.toString());
    return new Staged(staging, target);
  }

  /** Stage and commit in one step. */
  public Path replace(Dataset<Row> rows, Lake lake, TableDef table, PartitionKey key) {
    Staged staged = stage(rows, lake, table, key);
    try {
      return staged.commit();
    } catch (RuntimeException e) {
      staged.abort();
      throw e;
    }
  }

  private static Path sibling(Path target, String kind) {
    return new Path(target.getParent(), "." + target.getName() + "." + kind + "-" + UUID.randomUUID());
  }

  private static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("rename " + from + " -> " + to + " failed");
    }
  }
}
