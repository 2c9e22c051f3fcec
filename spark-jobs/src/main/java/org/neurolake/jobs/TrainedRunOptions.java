package org.neurolake.jobs;

import org.apache.hadoop.fs.Path;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Option;

/** The options of every job that reads a trained run: which run, and where its checkpoints are. */
public final class TrainedRunOptions {
  @Option(names = "--run-id", required = true, description = "The trained run.")
  String runId;

  @Option(names = "--checkpoint-dir", description = "The run's checkpoints (default: <lake>/checkpoints/<run-id>).")
  String checkpointDir;

  /** The run id, checked to be usable as a partition value. */
  public String runId() {
    return PartitionKey.requireSafe(runId);
  }

  /** {@code --checkpoint-dir}, else the run's default location in {@code lake}. */
  public Path checkpointDir(Lake lake) {
    return checkpointDir(checkpointDir, lake, runId());
  }

  /** {@code option} (a checkpoint-dir option's value) if given, else run {@code runId}'s default place in {@code lake}. */
  public static Path checkpointDir(String option, Lake lake, String runId) {
    return option != null ? new Path(HadoopPaths.toUri(option))
        : TrainingRun.Config.defaultCheckpointDir(lake, PartitionKey.requireSafe(runId));
  }
}
