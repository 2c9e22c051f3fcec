package org.neurolake.jobs;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.family.ModelFamilies;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.RunOptions;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains a model of any installed family on its data with synchronous SGD with backup workers: each round"
            + " runs N+b tasks of K local steps and averages the first N results. The family (lfads, mlstm, mlp,"
            + " dl4j, or a plug-in's) says what --dataset names and which model.* and data.* options it takes.",
        "Writes checkpoints and run.json (<lake>/checkpoints/<run-id>), train_rounds (partition run_id) and"
            + " evaluations (partition model=<family>); --resume continues from the newest valid checkpoint."})
public final class TrainJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--family", required = true, description = "The model family (installed: lfads, mlstm, mlp, ...).")
  String family;

  @Option(names = "--dataset", required = true,
      description = "What to train on, as the family names it: a spike_trials session (lfads), byte_sequences"
          + " sources, comma-separated (mlstm), an examples dataset (mlp, dl4j).")
  String dataset;

  @Mixin TrainOptions train = new TrainOptions();

  /** A training run of a family: the engine run and the request the family reads. */
  public record Config(ModelFamily<?, ?> family, TrainingRun.Config run, TrainRequest request) {}

  public Config config() {
    return config(common, train, family, dataset, Map.of());
  }

  /** The config of a run of {@code familyName}; {@code implied} are options a thin job's own flags set. */
  static Config config(CommonOptions common, TrainOptions train, String familyName, String dataset,
      Map<String, String> implied) {
    ModelFamily<?, ?> f = ModelFamilies.installed().byName(familyName);
    Map<String, String> overrides = new java.util.LinkedHashMap<>(implied);
    overrides.putAll(train.overrides);
    RunOptions options = RunOptions.load(train.configFile == null ? null : java.nio.file.Path.of(train.configFile),
        overrides);
    TrainerConfig t;
    try {
      t = options.trainerConfig();
    } catch (IllegalArgumentException e) {
      // The key may come from the file or from --set; either way the user looks in the file first.
      throw train.configFile == null ? e : new BadInputException(train.configFile
          + (train.overrides.isEmpty() ? "" : " (or --set)") + ": " + e.getMessage(), e);
    }
    Lake lake = common.lake();
    Path ckpt = train.checkpointDir != null ? new Path(HadoopPaths.toUri(train.checkpointDir))
        : TrainingRun.Config.defaultCheckpointDir(lake, t.runId());
    TrainRequest request = new TrainRequest(lake, dataset.trim(), t, options);
    TrainingRun.Config run = new TrainingRun.Config(lake, f.name(), f.datasetLabel(request.dataset()), t, ckpt,
        train.resume, train.stopAfterRound == null ? t.rounds() : train.stopAfterRound);
    return new Config(f, run, request);
  }

  public static TrainingRun.Result run(SparkSession spark, Config cfg) throws InterruptedException {
    return run(spark, cfg, FaultInjection.NONE);
  }

  public static TrainingRun.Result run(SparkSession spark, Config cfg, FaultInjection faults)
      throws InterruptedException {
    return runFamily(spark, cfg.family(), cfg, faults);
  }

  // Binds the family's type parameters once, so spec, shards and evaluator meet without casts.
  private static <S extends ModelSpec, D> TrainingRun.Result runFamily(SparkSession spark, ModelFamily<S, D> f,
      Config cfg, FaultInjection faults) throws InterruptedException {
    TrainRequest request = cfg.request();
    TrainerConfig tc = request.trainer();
    D data = f.load(spark, request);
    S spec = f.spec(data, request);
    JavaRDD<ExampleShard> shards = f.shards(data, spec, tc);
    try {
      long examples = shards.map(s -> (long) s.size()).reduce(Long::sum);
      System.out.printf("train %s (%s) on %s: %d training examples in %d shards; %d parameters%n", tc.runId(),
          f.name(), cfg.run().dataset(), examples, tc.tasksPerRound(), spec.parameterCount());
      return TrainingRun.run(spark, cfg.run(), spec, f.describe(data), shards, f.evaluator(data, spec), faults);
    } finally {
      shards.unpersist(false);
    }
  }

  /** The job's work once options are parsed: a dry run, or the run with its catalog registration. */
  static int call(String jobName, CommonOptions common, Config cfg) throws InterruptedException {
    CatalogSettings catalog = common.catalog();
    TrainingRun.Config run = cfg.run();
    if (common.dryRun()) {
      DryRun d = new DryRun(jobName).lake(run.lake()).catalog(catalog)
          .note("family " + cfg.family().name() + ", trainer " + run.trainer() + ", model options "
              + cfg.request().options().model() + ", data options " + cfg.request().options().data());
      for (DataRead r : cfg.family().reads(run.lake(), cfg.request().dataset())) {
        d.reads(r.what(), r.path());
      }
      return d.trainingRun(run).print();
    }
    SparkSession spark = JobRunner.session(jobName + " " + run.trainer().runId(), catalog,
        BackupWorkerTrainer.SPARK_DEFAULTS);
    TrainingRun.Result r = run(spark, cfg);
    System.out.printf("%s %s: %d rounds, %d updates, final evaluation %s%n", jobName, run.trainer().runId(),
        r.state().nextRound(), r.state().updates(), r.finalEvaluations());
    catalog.registerWritten(spark, LakeTables.TRAIN_ROUNDS, LakeTables.EVALUATIONS);
    return 0;
  }

  @Override
  public Integer call() throws InterruptedException {
    return call("train", common, config());
  }

  public static void main(String[] args) {
    JobRunner.main(new TrainJob(), args);
  }
}
