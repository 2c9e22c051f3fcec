package org.neurolake.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.lfads.LfadsData;
import org.neurolake.lfads.LfadsModels;
import org.neurolake.lfads.LfadsSession;
import org.neurolake.lfads.SpikeShards;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.lfads.LfadsSpec;
import org.neurolake.model.lfads.SpikeShard;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.RunOptions;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train-lfads", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains LFADS on one session of spike_trials with synchronous SGD with backup workers (trials are the"
            + " examples). The run's options file holds the engine options, model.* (the LfadsSpec fields) and"
            + " data.* (valid-fraction, test-fraction, held-out-fraction, split-seed).",
        "Writes checkpoints (<lake>/checkpoints/<run-id>, with run.json), train_rounds (partition run_id) and"
            + " evaluations on the validation trials (partition model=lfads); --resume continues from the newest"
            + " valid checkpoint."})
public final class TrainLfadsJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--session", required = true, description = "The spike_trials session to train on.")
  String session;

  @Option(names = "--config", description = "Run options file (e.g. conf/train/lfads-synthetic.properties).")
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

  /** A train-lfads run: the engine run, the session, the data split and the model options. */
  public record Config(TrainingRun.Config run, String session, LfadsData data, Map<String, String> modelOptions) {
    public Config {
      PartitionKey.requireSafe(session);
      modelOptions = Map.copyOf(modelOptions);
    }
  }

  public Config config() {
    RunOptions options = RunOptions.load(configFile == null ? null : java.nio.file.Path.of(configFile), overrides);
    TrainerConfig t = options.trainerConfig();
    LfadsData data = LfadsData.from(options);
    Lake lake = common.lake();
    Path ckpt = checkpointDir != null ? new Path(HadoopPaths.toUri(checkpointDir))
        : TrainingRun.Config.defaultCheckpointDir(lake, t.runId());
    return new Config(new TrainingRun.Config(lake, LfadsModels.MODEL, session, t, ckpt, resume,
        stopAfterRound == null ? t.rounds() : stopAfterRound, Map.of()), session, data, options.model());
  }

  public static TrainingRun.Result run(SparkSession spark, Config cfg) throws InterruptedException {
    return run(spark, cfg, FaultInjection.NONE);
  }

  public static TrainingRun.Result run(SparkSession spark, Config cfg, FaultInjection faults)
      throws InterruptedException {
    TrainerConfig tc = cfg.run().trainer();
    LfadsSession s = LfadsSession.load(spark, cfg.run().lake(), cfg.session(), cfg.data());
    LfadsSpec spec = LfadsModels.spec(s, tc, cfg.modelOptions());
    JavaRDD<ExampleShard> shards = SpikeShards.of(s.split(Split.TRAIN), tc.tasksPerRound(), s.shape(), s.heldIn(),
        s.heldOut());
    long trainTrials = shards.map(ExampleShard::size).reduce(Integer::sum);
    LfadsSession.Collected valid = s.collect(Split.DEV);
    System.out.printf("train-lfads %s: session %s, %d x %d bins of %.0f ms, %d held-in + %d held-out neurons;"
            + " %d training trials, %d validation trials; %d parameters%n", tc.runId(), s.session(),
        s.shape().nNeurons(), s.shape().nBins(), s.shape().binMs(), s.heldIn().length, s.heldOut().length,
        trainTrials, valid.size(), spec.build().numParameters());
    TrainingRun.Evaluator onValid = valid.size() == 0 ? model -> List.of() : model -> {
      Batch b = SpikeShard.fromNeuronMajor(valid.counts(), s.shape().nNeurons(), s.shape().nBins(), s.heldIn(),
          s.heldOut()).batch(0, valid.size());
      List<TrainingRun.Evaluation> out = new ArrayList<>();
      model.evaluate(b).forEach((k, v) -> out.add(new TrainingRun.Evaluation("valid", k, v)));
      return out;
    };
    TrainingRun.Config run = new TrainingRun.Config(cfg.run().lake(), cfg.run().model(), cfg.run().dataset(), tc,
        cfg.run().checkpointDir(), cfg.run().resume(), cfg.run().lastRound(), s.describe());
    try {
      return TrainingRun.run(spark, run, spec, shards, onValid, faults);
    } finally {
      shards.unpersist(false);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    TrainingRun.Config run = cfg.run();
    if (common.dryRun()) {
      DryRun d = new DryRun("train-lfads").lake(run.lake()).catalog(catalog)
          .note("trainer " + run.trainer() + ", " + cfg.data() + ", model options " + cfg.modelOptions())
          .reads("spike_trials", run.lake().partitionPath(LakeTables.SPIKE_TRIALS,
              PartitionKey.of(LakeTables.SPIKE_TRIALS, cfg.session())));
      return d.trainingRun(run).print();
    }
    SparkSession spark = JobRunner.session("train-lfads " + run.trainer().runId(), catalog,
        BackupWorkerTrainer.SPARK_DEFAULTS);
    TrainingRun.Result r = run(spark, cfg);
    System.out.printf("train-lfads %s: %d rounds, %d updates, valid %s%n", run.trainer().runId(),
        r.state().nextRound(), r.state().updates(), r.metrics("valid"));
    catalog.registerWritten(spark, LakeTables.TRAIN_ROUNDS, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new TrainLfadsJob(), args);
  }
}
