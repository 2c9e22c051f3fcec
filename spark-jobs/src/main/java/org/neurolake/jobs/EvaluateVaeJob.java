package org.neurolake.jobs;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.vae.VaeRunEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate-vae", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Scores a sentence-vae run (the VAE or its RNNLM baseline): picks the kept checkpoint with the lowest"
        + " valid bound, then per split the per-sentence NLL bound, recon, KL, perplexity (exp of total NLL over"
        + " tokens incl. <eos>), the importance-sampled NLL with --samples posterior samples, and the active units"
        + " -> evaluations (model=sentence-vae, run_id=<run-id>, round = the chosen checkpoint's); a PNG of the"
        + " periodic valid KL and reconstruction over training -> <lake>/reports/<run-id>/plots/kl_recon.png.",
        "Example: evaluate-vae --run-id vae-ptb --splits valid,test --samples 100"})
public final class EvaluateVaeJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--splits", split = ",", defaultValue = "valid,test", description = "Splits (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  @Option(names = "--samples", defaultValue = "100", description = "k of the importance-sampled NLL; 0 skips it "
      + "(default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--batch", defaultValue = "64", description = "Sentences per pass (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the posterior samples (default: ${DEFAULT-VALUE}).")
  long seed;

  public record Config(Lake lake, String runId, Path checkpointDir, List<String> splits, int samples, int batch,
      long seed) {
    public Config {
      PartitionKey.requireSafe(runId);
      splits = List.copyOf(splits);
      splits.forEach(PartitionKey::requireSafe);
      if (samples < 0 || batch < 1) {
        throw new IllegalArgumentException("need --samples >= 0 and --batch >= 1, got " + samples + ", " + batch);
      }
    }
  }

  public Config config() {
    Lake lake = common.lake();
    return new Config(lake, run.runId(), run.checkpointDir(lake), splits, samples, batch, seed);
  }

  public static VaeRunEvaluation.Result run(SparkSession spark, Config cfg) {
    // The training curve first: the rows evaluate-vae appends below are not training's.
    VaeRunEvaluation.plotTraining(spark, cfg.lake(), cfg.runId(), "valid",
        new Path(ReportJob.runDirectory(cfg.lake(), cfg.runId()), ReportJob.MODEL_PLOTS))
        .ifPresent(p -> System.out.println("evaluate-vae: wrote " + p));
    VaeRunEvaluation.Result r = VaeRunEvaluation.evaluate(spark, cfg.lake(), cfg.checkpointDir(), cfg.splits(),
        cfg.samples(), cfg.batch(), cfg.seed());
    EvaluationsTable.append(spark, cfg.lake(), cfg.runId(), r.round(), r.metrics());
    r.bySplit().forEach((split, m) -> System.out.printf("evaluate-vae %s round %d %s: %s%n", cfg.runId(), r.round(),
        split, m));
    return r;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("evaluate-vae").lake(cfg.lake()).catalog(catalog)
          .reads("checkpoints", cfg.checkpointDir())
          .reads("sentences", cfg.lake().tablePath(LakeTables.SENTENCES))
          .writes("evaluations", cfg.lake().tablePath(LakeTables.EVALUATIONS))
          .print();
    }
    SparkSession spark = JobRunner.session("evaluate-vae " + cfg.runId(), catalog);
    run(spark, cfg);
    catalog.registerWritten(spark, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new EvaluateVaeJob(), args);
  }
}
