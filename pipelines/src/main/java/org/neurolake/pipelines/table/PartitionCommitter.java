package org.neurolake.pipelines.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
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
 *       only after Spark's job commit wrote {@code _SUCCESS}; if the write fails, it deletes its
 *       staging directory before rethrowing.</li>
 *   <li>{@link Staged#commit} replaces the visible partition by renaming: the old partition (if
 *       any) is first moved aside, then the staged directory is renamed into place, then the old
 *       one is deleted. A crash can leave the partition absent, never partial; every visible
 *       partition holds {@code _SUCCESS}.</li>
 *   <li>Rerunning a job replaces exactly the partitions it writes (idempotent).</li>
 *   <li>Leftovers: a job killed outright leaves its staging directory (and, if killed inside a
 *       commit, the old version in {@code .<partition>.trash-<uuid>} and its lock). Every
 *       {@link #stage} deletes the staging directories beside its partition that are older than
 *       {@code staleAfter} (24 h by default); every commit deletes its partition's trash; an
 *       expired lock is broken by the next committer.</li>
 * </ul>
 *
 * <p>Concurrent writers: {@link Staged#commit} must be atomic, and it is: of any number of
 * processes committing the same partition at the same time, each commit either replaces the whole
 * partition with its own complete data or changes nothing. The commit holds the partition's lock
 * file ({@link PartitionLock}: atomic exclusive create, with owner and lease) from before the old
 * version is moved aside until the new one is in place; a second committer waits for the lock (up
 * to its wait, then fails with {@link ConcurrentCommitException}, its staged data still staged and
 * the partition as the other committer left it) and then commits after the first. So concurrent
 * commits of one partition are serialized and the last to take the lock wins; no mix of two
 * writers' files is ever visible. A holder whose lease ran out (a stall longer than the lease)
 * stops before changing anything more. Staging needs no lock: every stager writes its own directory.
 */
public final class PartitionCommitter {
  private final Configuration hadoopConf;
  private final PartitionLock.Settings lockSettings;
  private final Duration staleAfter;
  private final Runnable insideCommit;

  public PartitionCommitter(Configuration hadoopConf) {
    this(hadoopConf, PartitionLock.Settings.DEFAULT, StagingLeftovers.DEFAULT_AGE, () -> {});
  }

  /**
   * For tests: other lock timings and leftover age, and {@code insideCommit}, run while a commit
   * holds the lock, after the old version was moved aside and before the new one is renamed in.
   */
  PartitionCommitter(Configuration hadoopConf, PartitionLock.Settings lockSettings, Duration staleAfter,
      Runnable insideCommit) {
    this.hadoopConf = Objects.requireNonNull(hadoopConf, "hadoopConf");
    this.lockSettings = Objects.requireNonNull(lockSettings, "lockSettings");
    this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    this.insideCommit = Objects.requireNonNull(insideCommit, "insideCommit");
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

    /**
     * Makes the staged partition the visible one, atomically replacing any previous version; see
     * the class comment for concurrent commits.
     *
     * @throws ConcurrentCommitException when another committer held the partition's lock throughout
     *     the wait; this one is then still staged (commit again or abort)
     */
    public Path commit() {
      ensureOpen();
      try {
        FileSystem fs = target.getFileSystem(hadoopConf);
        if (!fs.exists(new Path(staging, "_SUCCESS"))) {
          throw new IllegalStateException("refusing to commit " + target + ": staging " + staging
              + " has no _SUCCESS marker");
        }
        try (PartitionLock lock = PartitionLock.acquire(fs, target, lockSettings)) {
          deleteTrashOf(fs, target);
          Path trash = null;
          if (fs.exists(target)) {
            trash = sibling(target, "trash");
            rename(fs, target, trash);
          }
          insideCommit.run();
          lock.checkHeld();
          rename(fs, staging, target);
          if (trash != null && !fs.delete(trash, true)) {
            throw new IOException("could not delete the replaced partition at " + trash);
          }
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
    FileSystem fs;
    try {
      fs = target.getFileSystem(hadoopConf);
      fs.mkdirs(target.getParent());
      StagingLeftovers.sweep(fs, target.getParent(), staleAfter);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + target.getParent(), e);
    }
    DataFrameWriter<Row> writer = rows.write().mode(SaveMode.ErrorIfExists);
    for (String column : table.plainEncodedColumns()) {
      writer = writer.option("parquet.enable.dictionary#" + column, "false");
    }
    try {
      writer.parquet(staging.toString());
    } catch (Exception e) { // SparkException is thrown without being declared
      StagingLeftovers.deleteAfterFailure(fs, staging, e);
      throw e;
    }
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

  /**
   * Commits {@code staged} in order; if one commit fails, aborts the ones not yet committed (so a
   * failed job leaves no staging behind) and rethrows. Returns the committed paths in order.
   */
  public static java.util.List<Path> commitAll(Staged... staged) {
    java.util.List<Path> done = new java.util.ArrayList<>();
    try {
      for (Staged s : staged) {
        done.add(s.commit());
      }
      return done;
    } catch (RuntimeException e) {
      for (Staged s : staged) {
        try {
          s.abort();
        } catch (RuntimeException abortFailure) {
          e.addSuppressed(abortFailure);
        }
      }
      throw e;
    }
  }

  /** The old versions a commit killed between its renames left; only called under the partition's lock. */
  private static void deleteTrashOf(FileSystem fs, Path target) throws IOException {
    FileStatus[] trash = fs.globStatus(new Path(target.getParent(), "." + target.getName() + ".trash-*"));
    if (trash != null) {
      for (FileStatus t : trash) {
        fs.delete(t.getPath(), true);
      }
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
