package org.neurolake.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.neurolake.jobs.EvaluateLfadsJob;
import org.neurolake.jobs.InferLfadsJob;
import org.neurolake.jobs.SynthSpikesJob;
import org.neurolake.jobs.TrainLfadsJob;
import org.neurolake.lfads.LfadsEvaluation;
import org.neurolake.lfads.LfadsModels;
import org.neurolake.pipelines.synthetic.ChaoticRnnConfig;
import org.neurolake.pipelines.synthetic.SyntheticSpikes;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine;

/**
 * {@code bin/bench lfads-synthetic [budget-seconds] [config] [conditions] [variant] [split-by]}: generates the
 * LFADS paper's chaotic-RNN set (by default as its reference code's {@code run_generate_synth_data.sh}
 * does: 400 conditions x 10 trials, 50 neurons, 1 s at 10 ms, 30 Hz; variant {@code CHAOTIC}, or
 * {@code INPUT_PULSE} with {@code conf/train/lfads-synthetic-inputs.properties}), trains LFADS with
 * the backup-worker engine for the config's whole schedule ({@code rounds}) and reports the time it
 * took, so the result does not depend on the machine's speed (argument 1: a wall-clock budget in
 * seconds instead, or {@code config} for the config's {@code time-budget-s}), infers the test
 * trials' rates and fits the two baselines (their hyperparameters chosen on the validation trials,
 * reported, and flagged when at an edge of their grid), all through the jobs users run. Ends with
 * {@code BENCH lfads-synthetic r2_lfads=… r2_smoothing=… r2_linear=… r2_lfads_valid=… train_s=… rounds=…
 * sigma_smoothing=… sigma_linear=… latents_linear=… grid_edges=…} (R^2: mean over neurons of
 * inferred vs true rates on the test trials; r2_lfads_valid the same on the validation trials, the
 * figure to choose LFADS configurations by; grid_edges: how many chosen baseline hyperparameters lie
 * at an edge of their grid). Argument 5, {@code condition}, splits whole conditions into train / valid /
 * test ({@code data.split-by=condition}: no test condition is seen in training; key
 * {@code held_out_conditions=1}) instead of single trials (each test trajectory's condition then also
 * has about 7 training trials).
 */
public final class LfadsSyntheticBenchmark {
  private LfadsSyntheticBenchmark() {}

  public static void main(String[] args) throws Exception {
    // Fixed work (no budget) unless argument 1 sets a budget ("config" keeps the config's).
    String budget = args.length == 0 ? "0" : args[0].equals("config") ? null : args[0];
    Path home = Path.of(System.getProperty("neurolake.home", "."));
    String config = args.length > 1 ? args[1] : home.resolve("conf/train/lfads-synthetic.properties").toString();
    int conditions = args.length > 2 ? Integer.parseInt(args[2]) : 400;
    ChaoticRnnConfig.Variant variant = args.length > 3 ? ChaoticRnnConfig.Variant.valueOf(args[3])
        : ChaoticRnnConfig.Variant.CHAOTIC;
    String splitBy = args.length > 4 ? args[4] : "trial";
    Path work = BenchWork.fresh("lfads-" + variant.name().toLowerCase(Locale.ROOT));
    String lake = work.resolve("lake").toString();
    String runId = "bench-lfads-synthetic";

    SparkSession.Builder builder = SparkSession.builder().master(System.getProperty("spark.master", "local[*]"))
        .appName("bench lfads-synthetic").config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    SyntheticSpikes.Result synth = SynthSpikesJob.run(spark, parse(new SynthSpikesJob(), "--lake", lake,
        "--session", "chaotic", "--variant", variant.name(), "--conditions", Integer.toString(conditions),
        "--replications", "10", "--neurons", "50").config());
    System.out.printf(Locale.ROOT, "generated %d trials, %d spikes%n", synth.trials(), synth.spikes());

    long t0 = System.nanoTime();
    List<String> trainArgs = new ArrayList<>(List.of("--lake", lake, "--session", "chaotic", "--config", config,
        "--set", "run-id=" + runId, "--set", "data.split-by=" + splitBy));
    if (budget != null) {
      trainArgs.addAll(List.of("--set", "time-budget-s=" + budget));
    }
    TrainingRun.Result train = TrainLfadsJob.run(spark, parse(new TrainLfadsJob(), trainArgs.toArray(String[]::new))
        .config());
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    InferLfadsJob.run(spark, parse(new InferLfadsJob(), "--lake", lake, "--run-id", runId).config());
    EvaluateLfadsJob.Result eval = EvaluateLfadsJob.run(spark,
        parse(new EvaluateLfadsJob(), "--lake", lake, "--run-id", runId).config());
    eval.metrics().forEach(m -> System.out.printf(Locale.ROOT, "%-14s %-16s %s%n", m.model(), m.metric(), m.value()));
    System.out.printf(Locale.ROOT, "trained %d rounds (%d updates) in %.0f s; plots %s%n",
        train.state().nextRound(), train.state().updates(), trainSeconds, eval.plots());
    System.out.println(new BenchLine("lfads-synthetic")
        .put("r2_lfads", eval.get(LfadsModels.MODEL, "r2_rates"))
        .put("r2_smoothing", eval.get(LfadsEvaluation.SMOOTHING, "r2_rates"))
        .put("r2_linear", eval.get(LfadsEvaluation.LINEAR_LATENT, "r2_rates"))
        .put("r2_lfads_valid", eval.evaluation().get(LfadsModels.MODEL, LfadsEvaluation.VALID_SPLIT, "r2_rates"))
        .put("train_s", trainSeconds)
        .put("rounds", train.state().nextRound())
        .put("sigma_smoothing", eval.get(LfadsEvaluation.SMOOTHING, "sigma_bins"))
        .put("sigma_linear", eval.get(LfadsEvaluation.LINEAR_LATENT, "sigma_bins"))
        .put("latents_linear", eval.get(LfadsEvaluation.LINEAR_LATENT, "latents"))
        .put("held_out_conditions", splitBy.equals("condition") ? 1 : 0)
        .put("grid_edges", eval.get(LfadsEvaluation.SMOOTHING, "sigma_at_grid_edge")
            + eval.get(LfadsEvaluation.LINEAR_LATENT, "sigma_at_grid_edge")
            + eval.get(LfadsEvaluation.LINEAR_LATENT, "latents_at_grid_edge")));
    spark.stop();
  }

  private static <T> T parse(T job, String... args) {
    new CommandLine(job).parseArgs(args);
    return job;
  }
}
