package org.neurolake.jobs;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.sentiment.MlstmFamily;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train --family mlstm --dataset <sources>}, under its own name. */
@Command(name = "train-mlstm", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains the sentiment neuron's byte-level mLSTM on the train split of byte_sequences of the given sources"
            + " with synchronous SGD with backup workers: train --family mlstm --dataset <sources>. Each task's shard"
            + " holds the whole documents a stable hash of their doc id assigns it, laid out as batch-size parallel"
            + " streams of model.tbpttLength-byte windows. The options file holds the engine options, model.*"
            + " (MlstmSpec fields) and data.* (held-out-documents, held-out-seed).",
        "Writes checkpoints (<lake>/checkpoints/<run-id>, with run.json), train_rounds (partition run_id) and the"
            + " held-out bits per byte of the sources' dev/test documents (a fixed, capped sample) to evaluations"
            + " (partition model=mlstm, split heldout) every eval-every rounds and at the end. Refuses sst2."})
public final class TrainMlstmJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--sources", required = true, split = ",",
      description = "The byte_sequences sources to train on, comma-separated (e.g. imdb,amazon).")
  List<String> sources;

  @Mixin TrainOptions train = new TrainOptions();

  public TrainJob.Config config() {
    return TrainJob.config(common, train, MlstmFamily.NAME, String.join(",", sources), Map.of());
  }

  public static TrainingRun.Result run(SparkSession spark, TrainJob.Config cfg) throws InterruptedException {
    return TrainJob.run(spark, cfg, FaultInjection.NONE);
  }

  @Override
  public Integer call() throws InterruptedException {
    return TrainJob.call("train-mlstm", common, config());
  }

  public static void main(String[] args) {
    JobRunner.main(new TrainMlstmJob(), args);
  }
}
