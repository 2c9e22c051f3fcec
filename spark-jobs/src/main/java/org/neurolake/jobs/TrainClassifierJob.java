package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.mlp.DenseShard;
import org.neurolake.model.mlp.MlpSpec;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.ClassificationShards;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train-classifier", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains an MLP classifier on an examples dataset with synchronous SGD with backup workers: each round runs"
            + " N+b tasks of K local steps and averages the first N results.",
        "Writes checkpoints (<lake>/checkpoints/<run-id>), train_rounds (partition run_id) and evaluations"
            + " (partition model=mlp); --resume continues from the newest valid checkpoint."})
public final class TrainClassifierJob implements Callable<Integer> {
  /** The evaluations partition of this job's runs. */
  public static final String MODEL = "mlp";

  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--dataset", required = true, description = "The examples dataset (split train is trained on, test evaluated).")
  String dataset;

  @Option(names = "--config", description = "Trainer options file (e.g. conf/train/mlp-blobs.properties).")
  String configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides a trainer option, e.g. --set backups=2. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--hidden", split = ",", defaultValue = "1024,768", description = "Hidden layer sizes (default: ${DEFAULT-VALUE}).")
  List<Integer> hidden;

  @Option(names = "--checkpoint-dir", description = "Checkpoint location (default: <lake>/checkpoints/<run-id>).")
  String checkpointDir;

  @Option(names = "--resume", description = "Continue from the newest valid checkpoint of this run.")
  boolean resume;

  @Option(names = "--stop-after-round", description = "Stop (with a checkpoint) after this many rounds in total, e.g. to split a run.")
  Integer stopAfterRound;

  public record Config(TrainingRun.Config run, List<Integer> hidden) {
    public Config {
      hidden = List.copyOf(hidden);
    }

    public String dataset() {
      return run.dataset();
    }

    public TrainerConfig trainer() {
      return run.trainer();
    }

    public Lake lake() {
      return run.lake();
    }

    public Path checkpointDir() {
      return run.checkpointDir();
    }

    public boolean resume() {
      return run.resume();
    }
  }

  public Config config() {
    TrainerConfig t = TrainerConfig.fromProperties(configFile == null ? null : java.nio.file.Path.of(configFile), overrides);
    Lake lake = common.lake();
    PartitionKey.requireSafe(dataset);
    Path ckpt = checkpointDir != null ? new Path(HadoopPaths.toUri(checkpointDir))
        : TrainingRun.Config.defaultCheckpointDir(lake, t.runId());
    return new Config(new TrainingRun.Config(lake, MODEL, dataset, t, ckpt, resume,
        stopAfterRound == null ? t.rounds() : stopAfterRound, Map.of()), hidden);
  }

  public static TrainingRun.Result run(SparkSession spark, Config cfg) throws InterruptedException {
    return run(spark, cfg, FaultInjection.NONE);
  }

  public static TrainingRun.Result run(SparkSession spark, Config cfg, FaultInjection faults) throws InterruptedException {
    TrainerConfig tc = cfg.trainer();
    Dataset<Row> examples = TableReader.read(spark, cfg.run().lake(), LakeTables.EXAMPLES)
        .where(col(Columns.DATASET).equalTo(cfg.dataset()));
    Dataset<Row> train = examples.where(col(Columns.SPLIT).equalTo("train"));
    Row shape = train.selectExpr("max(label) + 1", "first(size(features))", "count(*)").first();
    if (shape.getLong(2) == 0) {
      throw new IllegalArgumentException("examples/dataset=" + cfg.dataset() + " has no train split");
    }
    int nClasses = shape.getInt(0);
    int dims = shape.getInt(1);
    MlpSpec spec = new MlpSpec(dims, cfg.hidden(), nClasses, tc.learningRate().base(), 0.9, 0.999, 1e-8, 0.0, 0.0, tc.seed());
    JavaRDD<ExampleShard> shards = ClassificationShards.of(train, tc.tasksPerRound(), nClasses);
    shards.count(); // build and cache the shards now, not inside round 0
    DenseShard test = ClassificationShards.collect(examples.where(col(Columns.SPLIT).equalTo("test")), nClasses, 20_000);
    TrainingRun.Evaluator onTest = model -> model.evaluate(test.batch(0, test.size())).entrySet().stream()
        .map(e -> new TrainingRun.Evaluation("test", e.getKey(), e.getValue())).toList();
    try {
      return TrainingRun.run(spark, cfg.run(), spec, shards, onTest, faults);
    } finally {
      shards.unpersist(false);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun d = new DryRun("train-classifier").lake(cfg.lake()).catalog(catalog).note("trainer " + cfg.trainer())
          .reads("examples", cfg.lake().partitionPath(LakeTables.EXAMPLES, PartitionKey.of(LakeTables.EXAMPLES, cfg.dataset())));
      return d.trainingRun(cfg.run()).print();
    }
    SparkSession spark = JobRunner.session("train-classifier " + cfg.trainer().runId(), catalog,
        BackupWorkerTrainer.SPARK_DEFAULTS);
    TrainingRun.Result r = run(spark, cfg);
    System.out.printf("train-classifier %s: %d rounds, %d updates, test %s%n", cfg.trainer().runId(),
        r.state().nextRound(), r.state().updates(), r.metrics("test"));
    catalog.registerWritten(spark, LakeTables.TRAIN_ROUNDS, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new TrainClassifierJob(), args);
  }
}
