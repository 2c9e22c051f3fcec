package org.neurolake.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.neurolake.jobs.MakeExamplesJob;
import org.neurolake.jobs.SimulateTrainingJob;
import org.neurolake.pipelines.synthetic.GaussianBlobs;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.sim.SimResult;
import picocli.CommandLine;

/**
 * {@code bin/bench backup-workers-sim [rounds] [machines]}: the backup-workers paper's comparison at
 * M = 100 machines by simulation ({@code simulate-training}): the MLP (64 hidden units) on generated
 * blobs (20,000 examples, 32 features, 10 classes), synchronous SGD with b = 0, 2, 4, 6, 10 backups
 * of the M machines (N = M - b results averaged per round) and with automatic b, and asynchronous
 * SGD on the same M machines, every setting on the same step-time draws (a 1 s step with 20%
 * jitter; with probability 0.05 a Pareto(1.5) delay of scale 2 s). Real arithmetic, virtual clock;
 * the figures are from one seeded run (virtual times do not depend on this machine's speed). The
 * learning rate (the MLP's Adam) is chosen per mode from 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3 by the training
 * loss over the last fifth of the run (not on test data): synchronous on b = 0, asynchronous on its
 * own run; 14 selection runs, then the reported ones.
 *
 * <p>The target is 97% of the best final test accuracy of any setting; time_to_target_* is the
 * virtual time of the first evaluation (every 5 rounds, or 5 M asynchronous updates) at or above
 * it. best_b is the fixed b that reaches it first; auto_b the b automatic choice used most over the
 * second half of its run. Ends with {@code BENCH backup-workers-sim time_to_target_sync0=…
 * time_to_target_best=… time_to_target_async=… time_to_target_auto=… best_b=… auto_b=…
 * final_acc_best=… final_acc_async=… target_acc=… wall_s=…}; a time of -1 means never reached.
 */
public final class BackupWorkersSimBenchmark {
  private static final String STEP_TIMES = "pareto-tail:1.0:0.2:0.05:2.0:1.5";

  private BackupWorkersSimBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int machines = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path work = BenchWork.fresh("backup-workers-sim");
    String lake = work.resolve("lake").toString();
    SparkSession spark = SparkSession.builder().master(System.getProperty("spark.master", "local[*]"))
        .appName("bench backup-workers-sim").config("spark.ui.enabled", "false").getOrCreate();
    MakeExamplesJob.run(spark, new MakeExamplesJob.Config(Lake.parse(lake), "blobs",
        new GaussianBlobs(20_000, 32, 10, 1.0, 0.1, 1)));
    long t0 = System.nanoTime();
    // Learning rates chosen per mode on the training loss (never the test set): synchronous on b = 0,
    // asynchronous on its own; the other synchronous settings take the synchronous choice.
    double syncLr = chooseRate(spark, lake, rounds, machines, false);
    double asyncLr = chooseRate(spark, lake, rounds, machines, true);
    System.out.printf(Locale.ROOT, "chosen learning rates: sync %.4g, async %.4g%n", syncLr, asyncLr);
    List<SimResult> results = new java.util.ArrayList<>();
    SimulateTrainingJob.Result syncRun = simulate(spark, lake, "bench", rounds, machines, syncLr, "0,2,4,6,10,auto",
        false);
    results.addAll(syncRun.results());
    results.addAll(simulate(spark, lake, "bench-async", rounds, machines, asyncLr, "", true).results());
    // One pair of plots with every setting, the asynchronous one included.
    SimulateTrainingJob.Result result = new SimulateTrainingJob.Result(results, org.neurolake.sim.SimPlots.write(
        spark.sparkContext().hadoopConfiguration(), results, "test", "accuracy",
        org.neurolake.jobs.ReportJob.runDirectory(Lake.parse(lake), "bench-all")));
    double wall = (System.nanoTime() - t0) / 1e9;
    Map<String, SimResult> by = new TreeMap<>();
    result.results().forEach(r -> by.put(r.setting(), r));
    double best = result.results().stream().mapToDouble(r -> r.last("test", "accuracy")).max().orElseThrow();
    double target = 0.97 * best;
    List<Integer> fixed = List.of(0, 2, 4, 6, 10);
    int bestB = -1;
    double bestTime = Double.MAX_VALUE;
    for (int b : fixed) {
      OptionalDouble t = by.get("sync_b" + b).timeToReach("test", "accuracy", target);
      System.out.printf(Locale.ROOT, "sync b=%-3d final accuracy %.4f, time to %.4f: %s%n", b,
          by.get("sync_b" + b).last("test", "accuracy"), target, t.isPresent() ? t.getAsDouble() + " s" : "never");
      if (t.isPresent() && t.getAsDouble() < bestTime) {
        bestTime = t.getAsDouble();
        bestB = b;
      }
    }
    SimResult auto = by.get("sync_auto");
    List<Integer> secondHalf = auto.autoBackups().subList(auto.autoBackups().size() / 2, auto.autoBackups().size());
    int autoB = secondHalf.stream().collect(java.util.stream.Collectors.groupingBy(b -> b,
        java.util.stream.Collectors.counting())).entrySet().stream().max(Map.Entry.comparingByValue())
        .orElseThrow().getKey();
    System.out.println("automatic b per round: " + auto.autoBackups());
    System.out.println("plots: " + result.plots());
    SimResult async = by.get("async");
    BenchLine line = new BenchLine("backup-workers-sim")
        .put("time_to_target_sync0", orNaN(by.get("sync_b0").timeToReach("test", "accuracy", target)))
        .put("time_to_target_best", bestB < 0 ? Double.NaN : bestTime)
        .put("time_to_target_async", orNaN(async.timeToReach("test", "accuracy", target)))
        .put("time_to_target_auto", orNaN(auto.timeToReach("test", "accuracy", target)))
        .put("best_b", bestB)
        .put("auto_b", autoB)
        .put("final_acc_best", bestB < 0 ? Double.NaN : by.get("sync_b" + bestB).last("test", "accuracy"))
        .put("final_acc_async", async.last("test", "accuracy"))
        .put("target_acc", target)
        .put("wall_s", wall);
    spark.stop();
    System.out.println(line);
  }

  /** -1 when the target was never reached. */
  private static double orNaN(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : -1;
  }

  private static final double[] RATES = {0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3};

  /** The rate of {@link #RATES} with the lowest mean training loss over the last fifth of the steps. */
  private static double chooseRate(SparkSession spark, String lake, int rounds, int machines, boolean async) {
    double best = Double.NaN;
    double bestLoss = Double.MAX_VALUE;
    for (double lr : RATES) {
      SimResult r = simulate(spark, lake, "select", rounds, machines, lr, async ? "" : "0", async).results().get(0);
      List<org.neurolake.sim.SimStep> steps = r.steps();
      double loss = steps.subList(steps.size() * 4 / 5, steps.size()).stream()
          .mapToDouble(org.neurolake.sim.SimStep::loss).average().orElseThrow();
      System.out.printf(Locale.ROOT, "%s lr %.4g: training loss %.4f over the last fifth%n", r.setting(), lr, loss);
      if (Double.isFinite(loss) && loss < bestLoss) {
        bestLoss = loss;
        best = lr;
      }
    }
    if (best == RATES[0] || best == RATES[RATES.length - 1]) {
      System.out.printf(Locale.ROOT, "note: the chosen rate %.4g is at an edge of the grid%n", best);
    }
    return best;
  }

  private static SimulateTrainingJob.Result simulate(SparkSession spark, String lake, String simId, int rounds,
      int machines, double lr, String backups, boolean async) {
    SimulateTrainingJob job = new SimulateTrainingJob();
    List<String> args = new java.util.ArrayList<>(List.of("--lake", lake, "--family", "mlp", "--dataset", "blobs",
        "--sim-id", simId, "--machines", Integer.toString(machines), "--eval-every", "5", "--auto-every", "10",
        "--step-times", STEP_TIMES, "--set", "run-id=bench-sim", "--set", "rounds=" + rounds,
        "--set", "local-steps=1", "--set", "batch-size=16", "--set", "learning-rate=" + lr,
        "--set", "lr-schedule=constant", "--set", "model.hidden=64", "--set", "seed=1",
        "--async=" + async));
    args.add("--backups=" + backups);
    new CommandLine(job).parseArgs(args.toArray(String[]::new));
    return SimulateTrainingJob.run(spark, job.config());
  }
}
