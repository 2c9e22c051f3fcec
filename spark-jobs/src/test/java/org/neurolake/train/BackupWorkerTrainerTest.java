package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.model.api.ExampleShard;

class BackupWorkerTrainerTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[6]").appName("trainer").config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void withoutBackupsItIsExactlySynchronousParameterAveraging() throws Exception {
    TrainerConfig cfg = TrainerConfig.builder().runId("ref").workers(4).backups(0).localSteps(3).batchSize(16)
        .rounds(5).learningRate(0.01).schedule(LearningRateSchedule.Kind.LINEAR).finalFraction(0.2).build();
    List<ExampleShard> shards = TrainingFixtures.shards(4, 100);
    BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, cfg, TrainingFixtures.SPEC, FaultInjection.NONE);
    List<BackupWorkerTrainer.RoundSummary> rounds = new ArrayList<>();
    TrainingState end = trainer.train(TrainingFixtures.rdd(spark, shards),
        BackupWorkerTrainer.initialState(TrainingFixtures.SPEC), cfg.rounds(), (s, st) -> rounds.add(s));
    TrainingState ref = TrainingFixtures.reference(cfg, shards, cfg.rounds());
    assertEquals(5, end.nextRound());
    assertEquals(5, end.updates());
    assertArrayEquals(ref.parameters(), end.parameters(), 1e-5f);
    assertArrayEquals(ref.optimizerState(), end.optimizerState(), 1e-5f);
    assertEquals(5, rounds.size());
    assertTrue(rounds.get(4).loss() < rounds.get(0).loss(), "loss falls: " + rounds);
    assertTrue(rounds.stream().allMatch(r -> r.accepted() == 4));
  }

  @Test
  void backupsDropTheSlowestTasksAndKillThem() throws Exception {
    TrainerConfig cfg = TrainerConfig.builder().runId("backup").workers(3).backups(2).localSteps(2).batchSize(16)
        .rounds(4).learningRate(0.01).stragglers(new StragglerPolicy.LogNormal(300, 3.0)).seed(293).build();
    // Seed 293 draws, per round, a third-fastest delay of at most 833 ms and a fourth-fastest (the
    // fastest straggler) at least 1.9 s above it: [1,74,150,2113,121845] [128,139,559,3917,55568]
    // [4,167,833,9866,173305] [6,47,51,4451,4572].
    List<ExampleShard> shards = TrainingFixtures.shards(5, 80);
    // A warm-up round without stragglers first, so that no round's wall time holds the JVM's warm-up.
    new BackupWorkerTrainer(spark, TrainerConfig.builder().runId("warm-up").workers(3).backups(2).localSteps(2)
        .batchSize(16).rounds(1).learningRate(0.01).build(), TrainingFixtures.SPEC, FaultInjection.NONE)
        .train(TrainingFixtures.rdd(spark, shards), BackupWorkerTrainer.initialState(TrainingFixtures.SPEC), 1,
            (s, st) -> { });
    BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, cfg, TrainingFixtures.SPEC, FaultInjection.NONE);
    List<BackupWorkerTrainer.RoundSummary> rounds = new ArrayList<>();
    trainer.train(TrainingFixtures.rdd(spark, shards), BackupWorkerTrainer.initialState(TrainingFixtures.SPEC),
        cfg.rounds(), (s, st) -> rounds.add(s));
    for (int r = 0; r < cfg.rounds(); r++) {
      assertEquals(3, rounds.get(r).accepted());
      List<TaskRecord> tasks = trainer.taskRecords(r);
      long accepted = tasks.stream().filter(TaskRecord::accepted).count();
      assertEquals(3, accepted, tasks.toString());
      // The accepted tasks are the ones with the smallest injected delays.
      List<Long> delays = new ArrayList<>();
      for (int t = 0; t < 5; t++) {
        delays.add(cfg.stragglers().delayMs(cfg.seed(), r, t, 0));
      }
      List<Long> sorted = delays.stream().sorted().toList();
      for (TaskRecord t : tasks) {
        if (t.accepted()) {
          assertTrue(delays.get(t.task()) <= sorted.get(3), "round " + r + " accepted a slow task: " + delays + " " + tasks);
        }
      }
      // The round ended before even the fastest straggler's injected delay could have elapsed.
      long wall = rounds.get(r).wallMs();
      assertTrue(wall < sorted.get(3), "round " + r + " took " + wall + " ms, the stragglers' delays are "
          + sorted.subList(3, 5) + " ms: it waited for a straggler");
      BackupWorkerTrainer.EngineTimes e = rounds.get(r).engine();
      assertTrue(e.submitMs() >= 0 && e.resultLagMs() >= 0 && e.finishMs() >= 0
          && e.submitMs() + e.resultLagMs() + e.finishMs() <= wall, e + " in a round of " + wall + " ms");
    }
    assertFalse(rounds.isEmpty());
    assertEquals(0, trainer.retainedFloats(), "no round's vectors are kept once it is averaged");
  }

  @Test
  void perWorkerOptimizerStateStaysOnTheExecutorsAndStillTrains() throws Exception {
    TrainerConfig cfg = TrainerConfig.builder().runId("per-worker").workers(4).backups(0).localSteps(3).batchSize(16)
        .rounds(6).learningRate(0.01).optimizerState(OptimizerStatePolicy.PER_WORKER).build();
    List<ExampleShard> shards = TrainingFixtures.shards(4, 100);
    BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, cfg, TrainingFixtures.SPEC, FaultInjection.NONE);
    List<BackupWorkerTrainer.RoundSummary> rounds = new ArrayList<>();
    TrainingState end = trainer.train(TrainingFixtures.rdd(spark, shards),
        BackupWorkerTrainer.initialState(TrainingFixtures.SPEC), cfg.rounds(), (s, st) -> rounds.add(s));
    assertEquals(0, end.optimizerState().length, "no optimizer state reaches the driver");
    assertTrue(rounds.get(5).loss() < rounds.get(0).loss(), "loss falls: " + rounds);
    // Not the averaged run: each shard's moments differ from the averaged ones after round 0.
    TrainingState averaged = TrainingFixtures.reference(TrainerConfig.builder().runId("ref").workers(4).localSteps(3)
        .batchSize(16).rounds(6).learningRate(0.01).build(), shards, 6);
    assertFalse(java.util.Arrays.equals(averaged.parameters(), end.parameters()));
  }

  @Test
  void aTimeBudgetEndsTheRunAfterTheRoundThatReachesIt() throws Exception {
    TrainerConfig cfg = TrainerConfig.builder().runId("budget").workers(2).localSteps(1).batchSize(8).rounds(1000)
        .learningRate(0.01).timeBudgetSeconds(0.5)
        .stragglers(new StragglerPolicy.LogNormal(150, 0.01)).build();
    List<ExampleShard> shards = TrainingFixtures.shards(2, 40);
    BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, cfg, TrainingFixtures.SPEC, FaultInjection.NONE);
    long t0 = System.nanoTime();
    TrainingState end = trainer.train(TrainingFixtures.rdd(spark, shards),
        BackupWorkerTrainer.initialState(TrainingFixtures.SPEC), cfg.rounds(), (s, st) -> { });
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(end.nextRound() >= 2 && end.nextRound() < 20, "rounds run: " + end.nextRound());
    assertTrue(seconds >= 0.5 && seconds < 10, "took " + seconds + " s");
  }
}
