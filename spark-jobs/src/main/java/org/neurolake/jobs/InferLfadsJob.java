package org.neurolake.jobs;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code infer} of an LFADS run, under its own name and options. */
@Command(name = "infer-lfads", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a trained LFADS run's newest valid checkpoint over every trial of a session and writes, per trial,"
            + " the posterior-mean firing rates, factors and inputs (averaged over --samples posterior samples) to"
            + " lfads_outputs (partition run_id=<run>/session=<session>, replaced atomically): infer --run-id <run>."})
public final class InferLfadsJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--session", description = "The spike_trials session (default: the one the run trained on).")
  String session;

  @Option(names = "--samples", defaultValue = "20", description = "Posterior samples averaged per trial (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(names = "--batch-size", defaultValue = "64", description = "Trials per inference batch (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the posterior samples (default: ${DEFAULT-VALUE}).")
  long seed;

  public record Result(String session, long trials, Path output) {}

  public InferJob.Config config() {
    if (samples < 1 || batchSize < 1) {
      throw new IllegalArgumentException("--samples and --batch-size must be >= 1");
    }
    return InferJob.config(common.lake(), run, org.neurolake.lfads.LfadsFamily.NAME, session, List.of(), Map.of("samples",
        Integer.toString(samples), "batch-size", Integer.toString(batchSize), "seed", Long.toString(seed)), true);
  }

  public static Result run(SparkSession spark, InferJob.Config cfg) {
    return result(InferJob.run(spark, cfg));
  }

  private static Result result(InferJob.Result r) {
    InferJob.Part p = r.parts().get(0);
    return new Result(p.label(), p.rows(), p.output());
  }

  @Override
  public Integer call() {
    InferJob.Result r = InferJob.call("infer-lfads", common, config());
    if (r != null) {
      result(r);
    }
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new InferLfadsJob(), args);
  }
}
