package org.neurolake.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import org.neurolake.jobs.EvaluateLfadsJob;
import org.neurolake.jobs.IngestSpikesJob;
import org.neurolake.jobs.InferLfadsJob;
import org.neurolake.jobs.SynthSpikesJob;
import org.neurolake.jobs.TrainLfadsJob;
import org.neurolake.lfads.LfadsEvaluation;
import org.neurolake.lfads.LfadsModels;
import org.neurolake.pbt.PbtSearch;
import org.neurolake.pipelines.synthetic.SyntheticSpikes;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine;

/**
 * {@code bin/bench lfads-search [parts] [population] [generations] [conditions] [replications]}: LFADS
 * tuned by population-based training ({@code train-lfads --search pbt --search-space
 * conf/search/lfads-pbt.properties}) vs the shipped fixed configuration
 * ({@code conf/train/lfads-spiking-ex1.properties}, {@code --search none}) vs both baselines of
 * {@code evaluate-lfads}, on two recordings: ex1 (DataHigh macaque PMd, 210 trials, ingested from
 * {@code $DATA_ROOT/spiking} at 10 ms) and a small generated one (the chaotic-RNN set of
 * {@code synth-spikes} with {@code conditions} x {@code replications} trials, default 60 x 1: every trial
 * its own initial condition, as in a recording whose trials do not repeat, 50 neurons, 31 training
 * trials; there the fixed configuration overfits: test co-bps 0.09 vs the linear latent model's 0.17,
 * while at 6 x 10, where test trials share their condition with training trials, it does not: 0.25 vs
 * 0.22). Both runs of a
 * recording share its split (the config's data.*: 15% validation, 20% test trials, a quarter of the
 * neurons held out), PBT selects its best member on the validation trials' co-bps, the baselines
 * tune on the validation trials, and the test trials are scored once, by {@code evaluate-lfads}.
 *
 * <p>Fixed work, so quality does not depend on the machine's load: the fixed run trains its
 * config's 400 rounds (no time budget), and PBT {@code population} members (default: the search
 * file's 8) for {@code generations} generations (default 16) of the file's 25 rounds, each member
 * with the config's workers (2), so that at the defaults a member's budget is the fixed run's and
 * member 0, which starts at the config's own hyperparameters with its seed ({@code pbt.seed-config-member}),
 * is the fixed run until it is first replaced; the search's result is the best validation state seen
 * ({@code pbt.keep-best-seen}). {@code parts}: {@code all} (default), {@code ex1} or {@code small}. Ends with
 * {@code BENCH lfads-search cobps_pbt_ex1=… cobps_fixed_ex1=… cobps_linear_ex1=… cobps_smoothing_ex1=…
 * cobps_pbt_small=… cobps_fixed_small=… cobps_linear_small=… cobps_smoothing_small=… members=…
 * generations=… rounds_per_member=… train_s=…} and, per recording, the selection figures
 * ({@code valid_pbt_*}: the best member's, {@code valid_fixed_*}: the fixed run's final validation
 * co-bps, both from the model's own evaluation of the validation trials) and training seconds of each side
 * ({@code pbt_s_*}, {@code fixed_s_*}); {@code train_s} is all training (both sides, both recordings).
 */
public final class LfadsSearchBenchmark {
  /** One side's test co-bps, with both baselines' test co-bps from the same evaluation. */
  record Scores(double testCoBps, double linear, double smoothing) {}

  private LfadsSearchBenchmark() {}

  public static void main(String[] args) throws Exception {
    String parts = args.length > 0 ? args[0] : "all";
    if (!List.of("all", "ex1", "small").contains(parts)) {
      System.err.println("parts must be all, ex1 or small, not '" + parts + "'");
      System.exit(2);
    }
    List<String> searchSets = new ArrayList<>();
    if (args.length > 1) {
      searchSets.add("pbt.population=" + Integer.parseInt(args[1]));
    }
    if (args.length > 2) {
      searchSets.add("pbt.generations=" + Integer.parseInt(args[2]));
    }
    int conditions = args.length > 3 ? Integer.parseInt(args[3]) : 60;
    int replications = args.length > 4 ? Integer.parseInt(args[4]) : 1;
    Path home = Path.of(System.getProperty("neurolake.home", "."));
    Path dataRoot = Path.of(System.getenv().getOrDefault("DATA_ROOT", home.resolve("../shared/data").toString()));
    String config = home.resolve("conf/train/lfads-spiking-ex1.properties").toString();
    String space = home.resolve("conf/search/lfads-pbt.properties").toString();
    Path work = BenchWork.fresh("lfads-search");
    String lake = work.resolve("lake").toString();

    SparkSession.Builder builder = SparkSession.builder().master(System.getProperty("spark.master", "local[*]"))
        .appName("bench lfads-search").config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();

    BenchLine line = new BenchLine("lfads-search");
    double trainSeconds = 0;
    PbtSearch.Config search = null;
    if (!parts.equals("small")) {
      Path spiking = dataRoot.resolve("spiking");
      System.out.println(IngestSpikesJob.run(spark, parse(new IngestSpikesJob(), "--lake", lake, "--format",
          "events_csv", "--session", "ex1", "--bin-ms", "10", "--input",
          spiking.resolve("datahigh_ex1_pmd_delay400ms_spikes.csv.gz").toString(), "--trials",
          spiking.resolve("datahigh_ex1_pmd_delay400ms_trials.csv").toString()).config()));
      search = pbtConfig(lake, "ex1", config, space, searchSets);
      trainSeconds += compare(spark, lake, "ex1", config, search, line);
    }
    if (!parts.equals("ex1")) {
      SyntheticSpikes.Result synth = SynthSpikesJob.run(spark, parse(new SynthSpikesJob(), "--lake", lake,
          "--session", "small", "--conditions", Integer.toString(conditions), "--replications",
          Integer.toString(replications), "--neurons", "50").config());
      System.out.printf(Locale.ROOT, "small recording: %d trials (%d conditions x %d), %d spikes%n", synth.trials(),
          conditions, replications, synth.spikes());
      search = pbtConfig(lake, "small", config, space, searchSets);
      trainSeconds += compare(spark, lake, "small", config, search, line);
    }
    line.put("members", search.pbt().population())
        .put("generations", search.pbt().generations())
        .put("rounds_per_member", search.pbt().totalRounds())
        .put("train_s", trainSeconds);
    System.out.println(line);
    spark.stop();
  }

  /** PBT of LFADS on {@code session}: the search file with the bench's overrides, members of the config's workers. */
  private static PbtSearch.Config pbtConfig(String lake, String session, String config, String space,
      List<String> searchSets) {
    List<String> a = new ArrayList<>(List.of("--lake", lake, "--session", session, "--config", config, "--set",
        "run-id=pbt-" + session, "--search", "pbt", "--search-space", space));
    searchSets.forEach(s -> a.addAll(List.of("--search-set", s)));
    return parse(new TrainLfadsJob(), a.toArray(String[]::new)).searchConfig();
  }

  /** Both sides on one recording, then the BENCH keys for it; returns the seconds both trained. */
  private static double compare(SparkSession spark, String lake, String session, String config,
      PbtSearch.Config search, BenchLine line) throws InterruptedException {
    long t0 = System.nanoTime();
    TrainingRun.Result fixedRun = TrainLfadsJob.run(spark, parse(new TrainLfadsJob(), "--lake", lake, "--session",
        session, "--config", config, "--set", "run-id=fixed-" + session, "--set", "time-budget-s=0", "--search",
        "none").config());
    double fixedSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "%s fixed: %d rounds in %.0f s%n", session, fixedRun.state().nextRound(),
        fixedSeconds);
    t0 = System.nanoTime();
    PbtSearch.Result pbtRun = PbtSearch.run(spark, search);
    double pbtSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "%s pbt: %d members x %d rounds in %.0f s; result member %d of generation %d (valid"
        + " co-bps %.4f) with %s; plot %s%n", session, search.pbt().population(), search.pbt().totalRounds(), pbtSeconds,
        pbtRun.bestMember(), pbtRun.bestGeneration(), pbtRun.bestValue(), pbtRun.bestHyperparameters(), pbtRun.plot());

    double fixedValid = fixedRun.finalEvaluations().stream()
        .filter(e -> e.split().equals("valid") && e.metric().equals("co_bps")).findFirst()
        .orElseThrow(() -> new IllegalStateException("the fixed run has no valid/co_bps")).value();
    Scores fixed = score(spark, lake, "fixed-" + session);
    Scores pbt = score(spark, lake, "pbt-" + session);
    if (fixed.linear() != pbt.linear()) {
      System.out.printf(Locale.ROOT, "note: the linear baseline differs between the two evaluations: %.4f vs %.4f%n",
          fixed.linear(), pbt.linear());
    }
    String s = session.equals("ex1") ? "ex1" : "small";
    line.put("cobps_pbt_" + s, pbt.testCoBps())
        .put("cobps_fixed_" + s, fixed.testCoBps())
        .put("cobps_linear_" + s, fixed.linear())
        .put("cobps_smoothing_" + s, fixed.smoothing())
        .put("valid_pbt_" + s, pbtRun.bestValue())
        .put("valid_fixed_" + s, fixedValid)
        .put("pbt_s_" + s, pbtSeconds)
        .put("fixed_s_" + s, fixedSeconds);
    return fixedSeconds + pbtSeconds;
  }

  /** infer-lfads and evaluate-lfads of a trained run: test co-bps of LFADS and both baselines. */
  private static Scores score(SparkSession spark, String lake, String runId) {
    InferLfadsJob.run(spark, parse(new InferLfadsJob(), "--lake", lake, "--run-id", runId).config());
    EvaluateLfadsJob.Result eval = EvaluateLfadsJob.run(spark,
        parse(new EvaluateLfadsJob(), "--lake", lake, "--run-id", runId).config());
    eval.metrics().stream().filter(m -> m.metric().equals("co_bps")).forEach(m -> System.out.printf(Locale.ROOT,
        "%-12s %-14s %-6s co_bps %.4f%n", runId, m.model(), m.split(), m.value()));
    return new Scores(eval.get(LfadsModels.MODEL, "co_bps"), eval.get(LfadsEvaluation.LINEAR_LATENT, "co_bps"),
        eval.get(LfadsEvaluation.SMOOTHING, "co_bps"));
  }

  /** Parses as {@code bin/pipeline} does ({@link org.neurolake.jobs.JobRunner}): enum values in any case. */
  private static <T> T parse(T job, String... args) {
    new CommandLine(job).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    return job;
  }
}
