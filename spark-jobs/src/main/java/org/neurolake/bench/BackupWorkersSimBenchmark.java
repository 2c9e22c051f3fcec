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
 * the figures are from one seeded run (virtual times do not depend on this machine's speed).
 *
 * <p>The target is 97% of the best final test accuracy of any setting; time_to_target_* is the
 * virtual time of the first evaluation (every 5 rounds, or 5 M asynchronous updates) at or above
 * it. best_b is the fixed b that reaches it first; auto_b the b automatic choice used most over the
 * second half of its run. Ends with {@code BENCH backup-workers-sim time_to_target_sync0=…
 * time_to_target_best=… time_to_target_async=… time_to_target_auto=… best_b=… auto_b=…
 * final_acc_best=… final_acc_async=… target_acc=… wall_s=…}.
 */
public final class BackupWorkersSimBenchmark {
  private BackupWorkersSimBenchmark() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 150;
    int machines = args.length > 1 ? Integer.parseInt(args[1]) : 100;
    Path work = BenchWork.fresh("backup-workers-sim");
    String lake = work.resolve("lake").toString();
    SparkSession spark = SparkSession.builder().master(System.getProperty("spark.master", "local[*]"))
        .appName("bench backup-workers-sim").config("spark.ui.enabled", "false").getOrCreate();
    MakeExamplesJob.run(spark, new MakeExamplesJob.Config(Lake.parse(lake), "blobs",
        new GaussianBlobs(20_000, 32, 10, 1.0, 0.1, 1)));
    long t0 = System.nanoTime();
    SimulateTrainingJob job = new SimulateTrainingJob();
    new CommandLine(job).parseArgs("--lake", lake, "--family", "mlp", "--dataset", "blobs", "--sim-id", "bench",
        "--machines", Integer.toString(machines), "--backups", "0,2,4,6,10,auto", "--eval-every", "5",
        "--auto-every", "10", "--step-times", "pareto-tail:1.0:0.2:0.05:2.0:1.5",
        "--set", "run-id=bench-sim", "--set", "rounds=" + rounds, "--set", "local-steps=1", "--set", "batch-size=16",
        "--set", "learning-rate=0.003", "--set", "lr-schedule=constant", "--set", "model.hidden=64",
        "--set", "seed=1");
    SimulateTrainingJob.Result result = SimulateTrainingJob.run(spark, job.config());
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

  private static double orNaN(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : Double.NaN;
  }
}
