package org.neurolake.jobs;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;

/**
 * A job's {@code --dry-run}: checks what would make the job fail for certain (an unreachable lake,
 * a missing input file, a bad catalog setting) and lists what it would read and write, without
 * starting Spark. Inputs that an upstream job of the same pipeline writes are reported as present
 * or not yet written, not refused: a scheduler validates a whole pipeline before its first job runs.
 */
final class DryRun {
  private final String job;
  private final Configuration conf = JobRunner.hadoopConfiguration();
  private final List<String> lines = new ArrayList<>();

  DryRun(String job) {
    this.job = job;
  }

  /** The lake's file system must be reachable and its root, when present, a directory. */
  DryRun lake(Lake lake) {
    Path root = new Path(lake.root());
    FileStatus status = status(root, "the lake");
    if (status != null && !status.isDirectory()) {
      throw new IllegalArgumentException("the lake root " + root + " is a file, not a directory");
    }
    lines.add("lake " + root + (status == null ? " (will be created)" : ""));
    return this;
  }

  /** The catalog settings are valid (resolved by the caller) and where tables would be registered. */
  DryRun catalog(CatalogSettings catalog) {
    lines.add("catalog: " + catalog.describe());
    return this;
  }

  /** A file the user gave (not written by the pipeline) must exist. */
  DryRun inputFile(String what, String location) {
    Path p = new Path(HadoopPaths.toUri(location));
    FileStatus status = status(p, what);
    if (status == null) {
      throw new IllegalArgumentException(what + " " + p + " does not exist");
    }
    lines.add("reads " + what + " " + p);
    return this;
  }

  /** Data an upstream job writes: reported, not required. */
  DryRun reads(String what, Path p) {
    lines.add("reads " + what + " " + p + (status(p, what) == null ? " (not written yet)" : ""));
    return this;
  }

  DryRun writes(String what, Path p) {
    lines.add("writes " + what + " " + p);
    return this;
  }

  /**
   * What a training run resumes from and writes: its checkpoints and run.json, its train_rounds
   * partition and its model's evaluations partition.
   */
  DryRun trainingRun(org.neurolake.train.TrainingRun.Config run) {
    if (run.resume()) {
      note(new org.neurolake.checkpoint.HadoopCheckpointStore(conf, run.checkpointDir()).rounds().stream()
          .max(Integer::compare)
          .map(r -> "resumes from the newest valid checkpoint (newest: round " + r + ") in ")
          .orElse("no checkpoint yet: starts afresh in ") + run.checkpointDir());
    }
    return writes("checkpoints and run.json", run.checkpointDir())
        .writes("train_rounds", run.lake().partitionPath(org.neurolake.pipelines.table.LakeTables.TRAIN_ROUNDS,
            org.neurolake.pipelines.table.PartitionKey.of(org.neurolake.pipelines.table.LakeTables.TRAIN_ROUNDS,
                run.trainer().runId())))
        .writes("evaluations", run.lake().partitionPath(org.neurolake.pipelines.table.LakeTables.EVALUATIONS,
            org.neurolake.pipelines.table.PartitionKey.of(org.neurolake.pipelines.table.LakeTables.EVALUATIONS,
                run.family())));
  }

  DryRun note(String line) {
    lines.add(line);
    return this;
  }

  Configuration hadoopConf() {
    return conf;
  }

  /** Prints the checks and returns the job's exit code (0). */
  int print() {
    System.out.println("dry run of " + job + ": checks passed, nothing done");
    lines.forEach(l -> System.out.println("  " + l));
    return 0;
  }

  private FileStatus status(Path p, String what) {
    try {
      FileSystem fs = p.getFileSystem(conf);
      return fs.exists(p) ? fs.getFileStatus(p) : null;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot reach " + what + " at " + p + ": " + e.getMessage(), e);
    }
  }
}
