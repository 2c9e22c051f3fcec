package org.neurolake.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.neurolake.jobs.MakeExamplesJob;
import org.neurolake.jobs.TrainClassifierJob;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.TrainingRun;

/**
 * A training driver in a JVM of its own, for the kill-and-resume test: makes the examples dataset
 * when the lake has none, then runs {@code train-classifier} on a local master once per argument
 * list, the last one with the given injected hang (the test kills this process once the hang's
 * marker file appears).
 *
 * <p>Arguments: {@code LAKE FAULT_KIND FAULT_ROUND MARKER_FILE -- TRAIN_ARGS... [-- TRAIN_ARGS...]}.
 */
public final class TrainingDriverProcess {
  private TrainingDriverProcess() {}

  public static void main(String[] args) throws Exception {
    String lake = args[0];
    FaultInjection faults = new FaultInjection(FaultInjection.Kind.valueOf(args[1]), Integer.parseInt(args[2]), 1,
        args[3]);
    SparkSession.Builder b = SparkSession.builder().master("local[2]").appName("training-driver")
        .config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(b::config);
    SparkSession spark = b.getOrCreate();
    try {
      if (!Files.exists(Path.of(lake, org.neurolake.pipelines.table.LakeTables.EXAMPLES.name()))) {
        MakeExamplesJob.run(spark, Jobs.parse(new MakeExamplesJob(), "--lake", lake, "--dataset", "small",
            "--examples", "1000", "--dims", "16", "--classes", "3").config());
      }
      List<List<String>> runs = new ArrayList<>();
      for (String a : Arrays.asList(args).subList(4, args.length)) {
        if (a.equals("--")) {
          runs.add(new ArrayList<>());
        } else {
          runs.get(runs.size() - 1).add(a);
        }
      }
      for (int i = 0; i < runs.size(); i++) {
        TrainingRun.Result r = TrainClassifierJob.run(spark, Jobs.parse(new TrainClassifierJob(),
            runs.get(i).toArray(String[]::new)).config(), i == runs.size() - 1 ? faults : FaultInjection.NONE);
        System.out.println("finished at round " + r.state().nextRound() + " with " + r.state().updates() + " updates");
      }
    } finally {
      spark.stop();
    }
  }
}
