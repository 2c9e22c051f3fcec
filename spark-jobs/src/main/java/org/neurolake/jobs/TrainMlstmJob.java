package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
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
import org.neurolake.model.mlstm.MlstmModel;
import org.neurolake.model.mlstm.MlstmSpec;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.Split;
import org.neurolake.sentiment.ByteSequenceShards;
import org.neurolake.sentiment.HeldOutDocuments;
import org.neurolake.sentiment.MlstmData;
import org.neurolake.sentiment.SentimentModels;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.RunOptions;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train-mlstm", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains the sentiment neuron's byte-level mLSTM on the train split of byte_sequences of the given sources"
            + " with synchronous SGD with backup workers. Each task's shard holds the whole documents a stable hash"
            + " of their doc id assigns it, laid out as batch-size parallel streams of model.tbpttLength-byte"
            + " windows. The options file holds the engine options, model.* (MlstmSpec fields) and data.*"
            + " (held-out-documents, held-out-seed).",
        "Writes checkpoints (<lake>/checkpoints/<run-id>, with run.json), train_rounds (partition run_id) and the"
            + " held-out bits per byte of the sources' dev/test documents (a fixed, capped sample) to evaluations"
            + " (partition model=mlstm, split heldout) every eval-every rounds and at the end. Refuses sst2."})
public final class TrainMlstmJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--sources", required = true, split = ",",
      description = "The byte_sequences sources to train on, comma-separated (e.g. imdb,amazon).")
  List<String> sources;

  @Option(names = "--config", description = "Run options file (e.g. conf/train/mlstm-reviews.properties).")
  String configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "Overrides an option of the file, e.g. --set run-id=r1 --set model.hiddenSize=256. Repeatable.")
  Map<String, String> overrides = new LinkedHashMap<>();

  @Option(names = "--checkpoint-dir", description = "Checkpoint location (default: <lake>/checkpoints/<run-id>).")
  String checkpointDir;

  @Option(names = "--resume", description = "Continue from the newest valid checkpoint of this run.")
  boolean resume;

  @Option(names = "--stop-after-round", description = "Stop (with a checkpoint) after this many rounds in total.")
  Integer stopAfterRound;

  /** A train-mlstm run: the engine run, the training sources, the data options and the model options. */
  public record Config(TrainingRun.Config run, List<String> sources, MlstmData data, Map<String, String> modelOptions) {
    public Config {
      if (sources.isEmpty()) {
        throw new IllegalArgumentException("--sources names no source");
      }
      sources = List.copyOf(sources);
      for (String s : sources) {
        PartitionKey.requireSafe(s);
        SentimentModels.requireTrainable(s);
      }
      modelOptions = Map.copyOf(modelOptions);
    }
  }

  public Config config() {
    RunOptions options = RunOptions.load(configFile == null ? null : java.nio.file.Path.of(configFile), overrides);
    TrainerConfig t = options.trainerConfig();
    MlstmData data = MlstmData.from(options);
    Lake lake = common.lake();
    Path ckpt = checkpointDir != null ? new Path(HadoopPaths.toUri(checkpointDir))
        : TrainingRun.Config.defaultCheckpointDir(lake, t.runId());
    List<String> srcs = sources.stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    return new Config(new TrainingRun.Config(lake, SentimentModels.MLSTM, String.join("+", srcs), t, ckpt, resume,
        stopAfterRound == null ? t.rounds() : stopAfterRound, Map.of()), srcs, data, options.model());
  }

  /** The run's spec: the paper's settings at H = 4096 seeded by the run, then the run's model.* options. */
  public static MlstmSpec spec(TrainerConfig tc, Map<String, String> modelOptions) {
    return ModelSpecOptions.apply(MlstmSpec.of(4096, tc.seed()), modelOptions);
  }

  public static TrainingRun.Result run(SparkSession spark, Config cfg) throws InterruptedException {
    return run(spark, cfg, FaultInjection.NONE);
  }

  public static TrainingRun.Result run(SparkSession spark, Config cfg, FaultInjection faults)
      throws InterruptedException {
    TrainerConfig tc = cfg.run().trainer();
    MlstmSpec spec = spec(tc, cfg.modelOptions());
    Dataset<Row> sequences = TableReader.read(spark, cfg.run().lake(), LakeTables.BYTE_SEQUENCES)
        .where(col(Columns.SOURCE).isin(cfg.sources().toArray()));
    Dataset<Row> train = sequences.where(col(Columns.SPLIT).equalTo(Split.TRAIN.value()));
    JavaRDD<ExampleShard> shards = ByteSequenceShards.of(train, tc.tasksPerRound(), tc.batchSize(),
        spec.tbpttLength());
    try {
      long windows = shards.map(s -> (long) s.size()).reduce(Long::sum);
      List<byte[]> heldOut = HeldOutDocuments.collect(sequences, cfg.data());
      long heldOutBytes = heldOut.stream().mapToLong(d -> d.length).sum();
      System.out.printf("train-mlstm %s: sources %s, %d training windows of %d bytes in %d shards; held-out sample"
              + " %d documents (%d bytes); H=%d, %d parameters%n", tc.runId(), cfg.sources(), windows,
          spec.tbpttLength(), tc.tasksPerRound(), heldOut.size(), heldOutBytes, spec.hiddenSize(),
          spec.parameterCount());
      if (heldOut.isEmpty()) {
        System.out.printf("train-mlstm %s: sources %s have no dev or test documents: no held-out evaluation%n",
            tc.runId(), cfg.sources());
      }
      TrainingRun.Evaluator onHeldOut = heldOut.isEmpty() ? model -> List.of() : model -> {
        List<TrainingRun.Evaluation> out = new ArrayList<>();
        ((MlstmModel) model).evaluateDocuments(heldOut)
            .forEach((k, v) -> out.add(new TrainingRun.Evaluation(SentimentModels.HELD_OUT, k, v)));
        return out;
      };
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("sources", cfg.sources());
      extra.put("data", cfg.data().describe());
      TrainingRun.Config run = new TrainingRun.Config(cfg.run().lake(), cfg.run().model(), cfg.run().dataset(), tc,
          cfg.run().checkpointDir(), cfg.run().resume(), cfg.run().lastRound(), extra);
      return TrainingRun.run(spark, run, spec, shards, onHeldOut, faults);
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
      DryRun d = new DryRun("train-mlstm").lake(run.lake()).catalog(catalog)
          .note("trainer " + run.trainer() + ", " + cfg.data() + ", spec " + spec(run.trainer(), cfg.modelOptions()));
      for (String s : cfg.sources()) {
        d.reads("byte_sequences", run.lake().partitionPath(LakeTables.BYTE_SEQUENCES,
            PartitionKey.of(LakeTables.BYTE_SEQUENCES, s)));
      }
      return d.trainingRun(run).print();
    }
    SparkSession spark = JobRunner.session("train-mlstm " + run.trainer().runId(), catalog,
        BackupWorkerTrainer.SPARK_DEFAULTS);
    TrainingRun.Result r = run(spark, cfg);
    System.out.printf("train-mlstm %s: %d rounds, %d updates, held-out %s%n", run.trainer().runId(),
        r.state().nextRound(), r.state().updates(), r.metrics(SentimentModels.HELD_OUT));
    catalog.registerWritten(spark, LakeTables.TRAIN_ROUNDS, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new TrainMlstmJob(), args);
  }
}
