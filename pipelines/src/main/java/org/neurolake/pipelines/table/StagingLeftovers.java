package org.neurolake.pipelines.table;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hidden directories a killed job leaves beside its table's partitions: staging directories of
 * {@link PartitionCommitter} ({@code .<partition>.staging-<uuid>}) and {@link TableAppender}
 * ({@code .<partition>.append-<uuid>}). A job cleans its own on failure; one killed outright
 * cannot, so every later commit into the same directory deletes those older than a threshold,
 * long enough that no live job's staging is that old.
 */
final class StagingLeftovers {
  private static final Logger LOG = LoggerFactory.getLogger(StagingLeftovers.class);
  /** How old an abandoned staging directory must be before another job deletes it. */
  static final Duration DEFAULT_AGE = Duration.ofHours(24);
  private static final Pattern STAGING = Pattern.compile("\\..+\\.(staging|append)-[0-9a-f-]{36}");

  private StagingLeftovers() {}

  /** Deletes the staging directories in {@code dir} last modified more than {@code age} ago; returns them. */
  static List<Path> sweep(FileSystem fs, Path dir, Duration age) throws IOException {
    List<Path> deleted = new ArrayList<>();
    FileStatus[] children;
    try {
      children = fs.listStatus(dir);
    } catch (FileNotFoundException e) {
      return deleted;
    }
    long cutoff = System.currentTimeMillis() - age.toMillis();
    for (FileStatus s : children) {
      if (STAGING.matcher(s.getPath().getName()).matches() && s.getModificationTime() < cutoff) {
        if (fs.delete(s.getPath(), true)) {
          deleted.add(s.getPath());
        }
      }
    }
    if (!deleted.isEmpty()) {
      LOG.info("deleted {} staging director{} abandoned more than {} h ago: {}", deleted.size(),
          deleted.size() == 1 ? "y" : "ies", age.toHours(), deleted);
    }
    return deleted;
  }

  /** Deletes {@code staging} after a failure; a failure to delete is added to {@code cause}. */
  static void deleteAfterFailure(FileSystem fs, Path staging, Exception cause) {
    try {
      fs.delete(staging, true);
    } catch (IOException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }
}
