package org.neurolake.jobs;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.lfads.LfadsFamily;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code train --family lfads --dataset <session>}, under its own name. */
@Command(name = "train-lfads", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains LFADS on one session of spike_trials with synchronous SGD with backup workers (trials are the"
            + " examples): train --family lfads --dataset <session>. The run's options file holds the engine options,"
            + " model.* (the LfadsSpec fields) and data.* (valid-fraction, test-fraction, held-out-fraction, split-seed).",
        "Writes checkpoints (<lake>/checkpoints/<run-id>, with run.json), train_rounds (partition run_id) and"
            + " evaluations on the validation trials (partition model=lfads); --resume continues from the newest"
            + " valid checkpoint.",
        "--search pbt --search-space conf/search/lfads-pbt.properties: population-based training of LFADS runs"
            + " selected by validation co-bps (see train --help); the default (--search auto) for sessions with fewer"
            + " than " + LfadsFamily.PBT_BELOW_TRIALS + " training trials, with " + LfadsFamily.SEARCH_SPACE + " under the project's home."
            + " --search none: one run of the configuration."})
public final class TrainLfadsJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--session", required = true, description = "The spike_trials session to train on.")
  String session;

  @Mixin TrainOptions train = new TrainOptions();

  @Mixin SearchOptions search = new SearchOptions();

  public TrainJob.Config config() {
    return TrainJob.config(common, train, LfadsFamily.NAME, session, Map.of());
  }

  public static TrainingRun.Result run(SparkSession spark, TrainJob.Config cfg) throws InterruptedException {
    return TrainJob.run(spark, cfg, FaultInjection.NONE);
  }

  /** {@code --search pbt}: population-based training of LFADS runs on the session. */
  public org.neurolake.pbt.PbtSearch.Config searchConfig() {
    return TrainJob.searchConfig(common, train, search, LfadsFamily.NAME, session, Map.of());
  }

  @Override
  public Integer call() throws InterruptedException {
    return TrainJob.callChosen("train-lfads", common, train, search, LfadsFamily.NAME, session, Map.of());
  }

  public static void main(String[] args) {
    JobRunner.main(new TrainLfadsJob(), args);
  }
}
