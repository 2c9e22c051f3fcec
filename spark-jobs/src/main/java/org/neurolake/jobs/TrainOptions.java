package org.neurolake.jobs;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options every training job shares: the run's options file and overrides, where it checkpoints, resume. */
public final class TrainOptions {
  @Option(names = "--config", description = "Run options file (e.g. conf/train/lfads-synthetic.properties): engine"
      + " options, model.* (the spec's fields) and data.* (the family's data options).")
  String configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Overrides an option of the file, e.g. --set run-id=r1 --set model.genDim=32. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--checkpoint-dir", description = "Checkpoint location (default: <lake>/checkpoints/<run-id>).")
  String checkpointDir;

  @Option(names = "--resume", description = "Continue from the newest valid checkpoint of this run.")
  boolean resume;

  @Option(names = "--stop-after-round", description = "Stop (with a checkpoint) after this many rounds in total.")
  Integer stopAfterRound;
}
