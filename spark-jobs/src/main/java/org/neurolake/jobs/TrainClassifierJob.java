package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.checkpoint.CheckpointStore;
import org.neurolake.checkpoint.HadoopCheckpointStore;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.model.mlp.DenseShard;
import org.neurolake.model.mlp.MlpSpec;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.ClassificationShards;
import org.neurolake.train.TaskRecord;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingState;
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

  public record Config(Lake lake, String dataset, TrainerConfig trainer, List<Integer> hidden, Path checkpointDir,
      boolean resume, int lastRound) {
    public Config {
      PartitionKey.requireSafe(dataset);
      hidden = List.copyOf(hidden);
      if (lastRound < 1 || lastRound > trainer.rounds()) {
        throw new IllegalArgumentException("--stop-after-round must be in [1, rounds=" + trainer.rounds() + "]");
      }
    }
  }

  /** What a run produced. */
  public record Result(TrainingState state, List<BackupWorkerTrainer.RoundSummary> rounds, Map<String, Double> finalMetrics) {}

  public Config config() {
    TrainerConfig t = TrainerConfig.fromProperties(configFile == null ? null : java.nio.file.Path.of(configFile), overrides);
    Lake lake = common.lake();
    Path ckpt = checkpointDir != null ? new Path(HadoopPaths.toUri(checkpointDir))
        : new Path(new Path(lake.root()), "checkpoints/" + t.runId());
    return new Config(lake, dataset, t, hidden, ckpt, resume, stopAfterRound == null ? t.rounds() : stopAfterRound);
  }

  public static Result run(SparkSession spark, Config cfg) throws InterruptedException {
    return run(spark, cfg, FaultInjection.NONE);
  }

  public static Result run(SparkSession spark, Config cfg, FaultInjection faults) throws InterruptedException {
    TrainerConfig tc = cfg.trainer();
    Dataset<Row> examples = TableReader.read(spark, cfg.lake(), LakeTables.EXAMPLES)
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

    CheckpointStore store = new HadoopCheckpointStore(spark.sparkContext().hadoopConfiguration(), cfg.checkpointDir());
    TrainingState start = BackupWorkerTrainer.initialState(spec);
    if (cfg.resume()) {
      Optional<Checkpoint> c = store.latestValid();
      if (c.isPresent()) {
        if (!ModelSpecs.fromJson(c.get().modelSpecJson()).equals(spec)) {
          throw new IllegalArgumentException("the checkpoint in " + cfg.checkpointDir() + " is of another model: "
              + c.get().modelSpecJson());
        }
        start = new TrainingState(c.get().nextRound(), c.get().parameters(), c.get().optimizerState(), c.get().updates());
        System.out.printf("resuming run %s at round %d (%d updates) from %s%n", tc.runId(), start.nextRound(),
            start.updates(), cfg.checkpointDir());
      } else {
        System.out.println("no valid checkpoint in " + cfg.checkpointDir() + "; starting run " + tc.runId() + " afresh");
      }
    }
    writeRunConfig(spark, cfg, spec);
    TrainableModel evalModel = spec.build();
    if (start.nextRound() >= cfg.lastRound()) {
      // A rerun of a finished run (e.g. a scheduler retrying the task): train nothing, append nothing twice.
      System.out.printf("run %s is already at round %d of %d; nothing to train%n", tc.runId(), start.nextRound(),
          cfg.lastRound());
      Map<String, Double> metrics = evaluate(evalModel, start, test);
      if (!hasEvaluation(spark, cfg, start.nextRound())) {
        appendEvaluation(spark, new TableAppender(spark.sparkContext().hadoopConfiguration()), cfg, metrics,
            start.nextRound());
      }
      shards.unpersist(false);
      return new Result(start, List.of(), metrics);
    }

    BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, tc, spec, faults);
    TableAppender appender = new TableAppender(spark.sparkContext().hadoopConfiguration());
    List<BackupWorkerTrainer.RoundSummary> summaries = new ArrayList<>();
    TrainingState end = trainer.train(shards, start, cfg.lastRound(), (summary, state) -> {
      summaries.add(summary);
      int done = state.nextRound();
      if (tc.checkpointEvery() > 0 && done % tc.checkpointEvery() == 0 && done < cfg.lastRound()) {
        store.commit(checkpoint(state, tc, spec), tc.keepCheckpoints());
      }
      if (tc.evalEvery() > 0 && done % tc.evalEvery() == 0 && done < cfg.lastRound()) {
        appendEvaluation(spark, appender, cfg, evaluate(evalModel, state, test), done);
      }
    });
    store.commit(checkpoint(end, tc, spec), tc.keepCheckpoints());
    Map<String, Double> metrics = evaluate(evalModel, end, test);
    appendEvaluation(spark, appender, cfg, metrics, end.nextRound());
    appendRounds(spark, appender, cfg, trainer);
    shards.unpersist(false);
    return new Result(end, summaries, metrics);
  }

  private static Checkpoint checkpoint(TrainingState s, TrainerConfig tc, MlpSpec spec) {
    return new Checkpoint(s.nextRound(), s.updates(), tc.seed(), s.parameters(), s.optimizerState(),
        ModelSpecs.toJson(spec), tc.toProperties());
  }

  private static Map<String, Double> evaluate(TrainableModel model, TrainingState s, DenseShard test) {
    model.setParameters(s.parameters());
    return model.evaluate(test.batch(0, test.size()));
  }

  private static void appendEvaluation(SparkSession spark, TableAppender appender, Config cfg, Map<String, Double> metrics,
      int round) {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<Row> rows = new ArrayList<>();
    metrics.forEach((metric, value) -> rows.add(RowFactory.create(cfg.trainer().runId(), cfg.dataset(), "test", metric,
        value, round, now)));
    appender.append(spark.createDataFrame(rows, LakeTables.EVALUATIONS.dataSchema()), cfg.lake(), LakeTables.EVALUATIONS,
        PartitionKey.of(LakeTables.EVALUATIONS, MODEL));
  }

  private static boolean hasEvaluation(SparkSession spark, Config cfg, int round) {
    Path table = cfg.lake().tablePath(LakeTables.EVALUATIONS);
    try {
      if (!table.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(table)) {
        return false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + table, e);
    }
    return !TableReader.read(spark, cfg.lake(), LakeTables.EVALUATIONS)
        .where(col(Columns.MODEL).equalTo(MODEL).and(col(Columns.RUN_ID).equalTo(cfg.trainer().runId()))
            .and(col(Columns.ROUND).equalTo(round)))
        .isEmpty();
  }

  private static void appendRounds(SparkSession spark, TableAppender appender, Config cfg, BackupWorkerTrainer trainer)
      throws InterruptedException {
    List<Row> rows = new ArrayList<>();
    for (int r : trainer.roundsRun()) {
      for (TaskRecord t : trainer.taskRecords(r)) {
        rows.add(RowFactory.create(r, t.task(), t.partition(), t.executor(), t.startMs(), t.endMs(), t.accepted(),
            t.loss(), t.examples()));
      }
    }
    if (!rows.isEmpty()) {
      appender.append(spark.createDataFrame(rows, LakeTables.TRAIN_ROUNDS.dataSchema()), cfg.lake(),
          LakeTables.TRAIN_ROUNDS, PartitionKey.of(LakeTables.TRAIN_ROUNDS, cfg.trainer().runId()));
    }
  }

  /** The run's full configuration, next to its checkpoints. */
  private static void writeRunConfig(SparkSession spark, Config cfg, MlpSpec spec) {
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("run_id", cfg.trainer().runId());
    run.put("dataset", cfg.dataset());
    run.put("trainer", cfg.trainer().toProperties());
    run.put("model", ModelSpecs.toJson(spec));
    run.put("spark_master", spark.sparkContext().master());
    Path p = new Path(cfg.checkpointDir(), "run.json");
    try {
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(cfg.checkpointDir());
      try (OutputStream out = fs.create(p, true)) {
        out.write(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(run));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + p, e);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun d = new DryRun("train-classifier").lake(cfg.lake()).catalog(catalog).note("trainer " + cfg.trainer())
          .reads("examples", cfg.lake().partitionPath(LakeTables.EXAMPLES, PartitionKey.of(LakeTables.EXAMPLES, cfg.dataset())));
      if (cfg.resume()) {
        Optional<Integer> round = new HadoopCheckpointStore(d.hadoopConf(), cfg.checkpointDir()).rounds().stream()
            .max(Integer::compare);
        d.note(round.map(r -> "resumes from the newest valid checkpoint (newest: round " + r + ") in ")
            .orElse("no checkpoint yet: starts afresh in ") + cfg.checkpointDir());
      }
      return d.writes("checkpoints and run.json", cfg.checkpointDir())
          .writes("train_rounds", cfg.lake().partitionPath(LakeTables.TRAIN_ROUNDS,
              PartitionKey.of(LakeTables.TRAIN_ROUNDS, cfg.trainer().runId())))
          .writes("evaluations", cfg.lake().partitionPath(LakeTables.EVALUATIONS, PartitionKey.of(LakeTables.EVALUATIONS, MODEL)))
          .print();
    }
    SparkSession spark = JobRunner.session("train-classifier " + cfg.trainer().runId(), catalog,
        BackupWorkerTrainer.SPARK_DEFAULTS);
    Result r = run(spark, cfg);
    System.out.printf("train-classifier %s: %d rounds, %d updates, test %s%n", cfg.trainer().runId(),
        r.state().nextRound(), r.state().updates(), r.finalMetrics());
    catalog.registerWritten(spark, LakeTables.TRAIN_ROUNDS, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new TrainClassifierJob(), args);
  }
}
