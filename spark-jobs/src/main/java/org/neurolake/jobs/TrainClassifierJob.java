package org.neurolake.jobs;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.neurolake.classifier.MlpFamily;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train --family mlp --dataset <examples>}, under its own name. */
@Command(name = "train-classifier", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains an MLP classifier on an examples dataset with synchronous SGD with backup workers: each round runs"
            + " N+b tasks of K local steps and averages the first N results (train --family mlp --dataset <examples>).",
        "Writes checkpoints (<lake>/checkpoints/<run-id>), train_rounds (partition run_id) and evaluations"
            + " (partition model=mlp); --resume continues from the newest valid checkpoint."})
public final class TrainClassifierJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--dataset", required = true, description = "The examples dataset (split train is trained on, test evaluated).")
  String dataset;

  @Option(names = "--hidden", split = ",", description = "Hidden layer sizes (default: 1024,768; the same as --set model.hidden=...).")
  List<Integer> hidden;

  @Mixin TrainOptions train = new TrainOptions();

  public TrainJob.Config config() {
    Map<String, String> implied = hidden == null ? Map.of()
        : Map.of("model.hidden", hidden.stream().map(String::valueOf).collect(Collectors.joining(",")));
    return TrainJob.config(common, train, MlpFamily.NAME, dataset, implied);
  }

  public static TrainingRun.Result run(SparkSession spark, TrainJob.Config cfg) throws InterruptedException {
    return TrainJob.run(spark, cfg, FaultInjection.NONE);
  }

  public static TrainingRun.Result run(SparkSession spark, TrainJob.Config cfg, FaultInjection faults)
      throws InterruptedException {
    return TrainJob.run(spark, cfg, faults);
  }

  @Override
  public Integer call() throws InterruptedException {
    return TrainJob.call("train-classifier", common, config());
  }

  public static void main(String[] args) {
    JobRunner.main(new TrainClassifierJob(), args);
  }
}
