package org.neurolake.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.lfads.LfadsData;
import org.neurolake.lfads.LfadsModels;
import org.neurolake.lfads.LfadsSession;
import org.neurolake.lfads.SpikeShards;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.model.lfads.LfadsModel;
import org.neurolake.model.lfads.LfadsOutput;
import org.neurolake.model.lfads.SpikeShard;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "infer-lfads", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a trained LFADS run's newest valid checkpoint over every trial of a session and writes, per trial,"
            + " the posterior-mean firing rates, factors and inferred inputs (averaged over --samples posterior"
            + " samples) to lfads_outputs (partition run_id=<run>/session=<session>, replaced atomically)."})
public final class InferLfadsJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--run-id", required = true, description = "The trained run.")
  String runId;

  @Option(names = "--session", description = "The spike_trials session (default: the one the run trained on).")
  String session;

  @Option(names = "--checkpoint-dir", description = "The run's checkpoints (default: <lake>/checkpoints/<run-id>).")
  String checkpointDir;

  @Option(names = "--samples", defaultValue = "20", description = "Posterior samples averaged per trial (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--batch-size", defaultValue = "64", description = "Trials per inference batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the posterior samples (default: ${DEFAULT-VALUE}).")
  long seed;

  public record Config(Lake lake, String runId, String session, Path checkpointDir, int samples, int batchSize,
      long seed) {
    public Config {
      PartitionKey.requireSafe(runId);
      if (session != null) {
        PartitionKey.requireSafe(session);
      }
      if (samples < 1 || batchSize < 1) {
        throw new IllegalArgumentException("--samples and --batch-size must be >= 1");
      }
    }
  }

  public record Result(String session, long trials, Path output) {}

  public Config config() {
    Lake lake = common.lake();
    Path ckpt = checkpointDir != null ? new Path(HadoopPaths.toUri(checkpointDir))
        : TrainingRun.Config.defaultCheckpointDir(lake, runId);
    return new Config(lake, runId, session, ckpt, samples, batchSize, seed);
  }

  public static Result run(SparkSession spark, Config cfg) {
    JsonNode info = TrainingRun.readRunInfo(spark, cfg.checkpointDir());
    String session = cfg.session() != null ? cfg.session() : info.path("session").asText(null);
    if (session == null) {
      throw new IllegalArgumentException("run " + cfg.runId() + " records no session; pass --session");
    }
    LfadsData data = LfadsModels.dataOf(info);
    LfadsSession s = LfadsSession.load(spark, cfg.lake(), session, data);
    TrainableModel trained = TrainingRun.loadModel(spark, cfg.checkpointDir());
    if (!(trained instanceof LfadsModel lfads)) {
      throw new IllegalArgumentException("run " + cfg.runId() + " is not an LFADS run: " + trained.spec().kind());
    }
    LfadsModels.requireFits(lfads, s);

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<String> specJson = jsc.broadcast(ModelSpecs.toJson(lfads.spec()));
    Broadcast<float[]> params = jsc.broadcast(lfads.parameters());
    SpikeShards.Shape shape = s.shape();
    int[] heldIn = s.heldIn();
    int[] heldOut = s.heldOut();
    int batch = cfg.batchSize();
    int samples = cfg.samples();
    long seed = cfg.seed();
    JavaRDD<Row> rows = s.trials().select(Columns.TRIAL, Columns.COUNTS).toJavaRDD().mapPartitions(it -> {
      LfadsModel model = (LfadsModel) ModelSpecs.fromJson(specJson.value()).build();
      model.setParameters(params.value());
      List<Row> out = new ArrayList<>();
      List<Integer> trials = new ArrayList<>();
      List<int[]> counts = new ArrayList<>();
      while (it.hasNext() || !trials.isEmpty()) {
        if (it.hasNext() && trials.size() < batch) {
          Row r = it.next();
          trials.add(r.getInt(0));
          counts.add(SpikeShards.counts(r.getInt(0), r.getList(1), shape));
          continue;
        }
        SpikeShard chunk = SpikeShard.fromNeuronMajor(counts, shape.nNeurons(), shape.nBins(), heldIn, heldOut);
        LfadsOutput o = model.infer(chunk.batch(0, trials.size()), samples, seed ^ (trials.get(0) * 0x9E3779B97F4A7C15L));
        for (int i = 0; i < trials.size(); i++) {
          out.add(LfadsModels.outputRow(trials.get(i), data.split(trials.get(i)).value(), o, i, shape, heldIn,
              heldOut));
        }
        trials.clear();
        counts.clear();
      }
      return out.iterator();
    });
    PartitionCommitter committer = new PartitionCommitter(jsc.hadoopConfiguration());
    Path out = committer.replace(spark.createDataFrame(rows, LakeTables.LFADS_OUTPUTS.dataSchema()), cfg.lake(),
        LakeTables.LFADS_OUTPUTS, PartitionKey.of(LakeTables.LFADS_OUTPUTS, cfg.runId(), session));
    long n = spark.read().parquet(out.toString()).count();
    specJson.unpersist(false);
    params.unpersist(false);
    return new Result(session, n, out);
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("infer-lfads").lake(cfg.lake()).catalog(catalog)
          .reads("the run's checkpoints and run.json", cfg.checkpointDir())
          .reads("spike_trials", cfg.lake().tablePath(LakeTables.SPIKE_TRIALS))
          .writes("lfads_outputs", cfg.lake().tablePath(LakeTables.LFADS_OUTPUTS))
          .note(cfg.samples() + " posterior samples per trial, batches of " + cfg.batchSize())
          .print();
    }
    SparkSession spark = JobRunner.session("infer-lfads " + cfg.runId(), catalog);
    Result r = run(spark, cfg);
    System.out.printf("infer-lfads %s: %d trials of session %s -> %s%n", cfg.runId(), r.trials(), r.session(),
        r.output());
    catalog.registerWritten(spark, LakeTables.LFADS_OUTPUTS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new InferLfadsJob(), args);
  }
}
