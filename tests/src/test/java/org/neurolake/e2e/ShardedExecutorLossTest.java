package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.MakeExamplesJob;
import org.neurolake.jobs.TrainClassifierJob;
import org.neurolake.jobs.TrainJob;
import org.neurolake.train.AggregationMode;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.TrainingRun;

/**
 * The sharded aggregation mode losing a real executor on Spark's local-cluster master (two
 * executors, each its own JVM, one core each): the JVM that holds an accepted result is killed
 * between a round's result stage and its slice stage, or an executor's JVM halts inside a slice
 * task (the slice job fails: Spark does not retry a task here, {@code spark.task.maxFailures=1}).
 * Either way the round completes with the lost results recomputed, and the run ends with the
 * parameters of the fault-free run (to a few float ulps: only the acceptance order, which differs
 * between runs, can move a double sum before its one rounding).
 */
class ShardedExecutorLossTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static TrainingRun.Result clean;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("spark.testing", "1");
    Path sparkHome = Files.createDirectories(dir.resolve("spark-home"));
    // The in-process workers read these from system properties, not from the session's conf.
    System.setProperty("spark.test.home", sparkHome.toString());
    SparkSession.Builder b = SparkSession.builder().master("local-cluster[2,1,1024]").appName("sharded-loss")
        .config("spark.test.home", sparkHome.toString())
        .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
        .config("spark.ui.enabled", "false")
        .config("spark.task.maxFailures", "1");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(b::config);
    spark = b.getOrCreate();
    MakeExamplesJob.run(spark, Jobs.parse(new MakeExamplesJob(), "--lake", dir.resolve("lake").toString(),
        "--dataset", "small", "--examples", "2000", "--dims", "16", "--classes", "3").config());
    clean = TrainClassifierJob.run(spark, train("clean"));
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    System.clearProperty("spark.testing");
    System.clearProperty("spark.test.home");
  }

  /** N = 4, b = 0 (a fixed order of shards, every result accepted), 3 rounds, sharded in 3 slices. */
  static TrainJob.Config train(String runId) {
    return Jobs.parse(new TrainClassifierJob(), "--lake", dir.resolve("lake").toString(), "--dataset", "small",
        "--hidden", "32", "--set", "run-id=" + runId, "--set", "workers=4", "--set", "backups=0", "--set", "rounds=3",
        "--set", "local-steps=2", "--set", "batch-size=32", "--set", "learning-rate=0.01", "--set",
        "aggregation=sharded", "--set", "aggregation-slices=3", "--set", "max-round-attempts=4").config();
  }

  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      float tol = 4 * Math.ulp(Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
      assertTrue(Math.abs(expected[i] - actual[i]) <= tol, what + "[" + i + "]: " + expected[i] + " vs " + actual[i]);
    }
  }

  static void assertSameRunAsClean(TrainingRun.Result r) {
    assertEquals(3, r.state().nextRound());
    assertEquals(3, r.state().updates());
    assertTrue(r.rounds().stream().allMatch(x -> x.accepted() == 4 && x.aggregation() == AggregationMode.SHARDED),
        r.rounds().toString());
    assertClose(clean.state().parameters(), r.state().parameters(), "parameters");
    assertClose(clean.state().optimizerState(), r.state().optimizerState(), "optimizer state");
  }

  @Test
  @Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
  void anExecutorKilledBetweenTheStagesHasItsResultsRecomputed() throws Exception {
    FaultInjection kill = new FaultInjection(FaultInjection.Kind.KILL_EXECUTOR_BETWEEN_STAGES, 1, 2,
        dir.resolve("killed").toString());
    TrainingRun.Result r = TrainClassifierJob.run(spark, train("kill"), kill);
    assertTrue(Files.exists(dir.resolve("killed")), "an executor was killed");
    assertEquals(List.of(0, 0), List.of(r.rounds().get(0).recomputedResults(), r.rounds().get(2).recomputedResults()));
    assertTrue(r.rounds().get(1).recomputedResults() >= 1, "round 1 recomputed the killed executor's results: "
        + r.rounds().get(1));
    assertSameRunAsClean(r);
  }

  @Test
  @Timeout(value = 300, unit = java.util.concurrent.TimeUnit.SECONDS)
  void anExecutorHaltedInTheSliceStageFailsTheSliceJobAndTheRoundIsRecovered() throws Exception {
    FaultInjection halt = new FaultInjection(FaultInjection.Kind.HALT_IN_SLICE, 1, 0, dir.resolve("halted").toString());
    TrainingRun.Result r = TrainClassifierJob.run(spark, train("halt"), halt);
    assertTrue(Files.exists(dir.resolve("halted")), "an executor JVM halted in a slice task");
    assertSameRunAsClean(r);
  }
}
