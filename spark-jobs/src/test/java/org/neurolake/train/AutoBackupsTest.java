package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.ExampleShard;

/**
 * {@code backups = auto} in the Spark engine: b re-chosen every R rounds from the task times
 * Spark reports, by the simulator's {@code BackupChoice}, on injected delays whose best b is known:
 * one persistently slow machine (b >= 1 once the engine has seen it) and equal machines (b = 0).
 */
class AutoBackupsTest {
  static SparkSession spark;
  static final List<ExampleShard> SHARDS = TrainingFixtures.shards(5, 80);

  @BeforeAll
  static void start() throws Exception {
    spark = SparkSession.builder().master("local[5]").appName("auto-backups").config("spark.ui.enabled", "false")
        .getOrCreate();
    // A warm-up round first, so that no task time holds the JVM's and ND4J's warm-up.
    new BackupWorkerTrainer(spark, config("warm-up", new StragglerPolicy.None()).rounds(1).build(),
        TrainingFixtures.SPEC, FaultInjection.NONE).train(TrainingFixtures.rdd(spark, SHARDS),
            BackupWorkerTrainer.initialState(TrainingFixtures.SPEC), 1, (s, st) -> { });
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** N = 3, at most 2 backups (M = 5 tasks), b re-chosen every 2 rounds; 4 rounds. */
  static TrainerConfig.Builder config(String runId, StragglerPolicy stragglers) {
    return TrainerConfig.builder().runId(runId).workers(3).autoBackups(2, 2).localSteps(1).batchSize(16).rounds(4)
        .learningRate(0.01).seed(11).stragglers(stragglers);
  }

  record Run(List<BackupWorkerTrainer.RoundSummary> rounds, BackupWorkerTrainer trainer) {
    List<Integer> backups() {
      return rounds.stream().map(BackupWorkerTrainer.RoundSummary::backups).toList();
    }
  }

  static Run run(TrainerConfig cfg) throws InterruptedException {
    BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, cfg, TrainingFixtures.SPEC, FaultInjection.NONE);
    List<BackupWorkerTrainer.RoundSummary> rounds = new ArrayList<>();
    trainer.train(TrainingFixtures.rdd(spark, SHARDS), BackupWorkerTrainer.initialState(TrainingFixtures.SPEC),
        cfg.rounds(), (s, st) -> rounds.add(s));
    return new Run(rounds, trainer);
  }

  @Test
  void aPersistentlySlowMachineGetsBackupsOnceSeen() throws Exception {
    long slowMs = 1500;
    Run r = run(config("auto-slow", new StragglerPolicy.SlowTask(4, slowMs)).build());
    List<Integer> b = r.backups();
    assertEquals(List.of(0, 0), b.subList(0, 2), "auto starts at b = 0");
    assertTrue(b.get(2) >= 1 && b.get(2) <= 2 && b.get(3).equals(b.get(2)),
        "rounds 2 and 3 run with the b chosen at round 2, at least 1: " + b);
    for (int round = 0; round < 4; round++) {
      BackupWorkerTrainer.RoundSummary s = r.rounds().get(round);
      assertEquals(5 - b.get(round), s.accepted(), "M - b results averaged in round " + round);
      List<TaskRecord> tasks = r.trainer().taskRecords(round);
      assertEquals(5 - b.get(round), tasks.stream().filter(TaskRecord::accepted).count(), tasks.toString());
      int expected = b.get(round);
      assertTrue(tasks.stream().allMatch(t -> t.backups() == expected), "train_rounds' b of round " + round + ": "
          + tasks);
      if (round >= 2) {
        assertTrue(tasks.stream().noneMatch(t -> t.task() == 4 && t.accepted()), "the slow task was dropped: " + tasks);
        assertTrue(s.wallMs() < slowMs, "round " + round + " did not wait for the slow machine: " + s.wallMs() + " ms");
      }
    }
  }

  @Test
  void equalMachinesGetNoBackups() throws Exception {
    // Every task waits the same 800 ms: a backup only shrinks the round's N for nothing.
    Run r = run(config("auto-equal", new StragglerPolicy.LogNormal(800, 0)).build());
    assertEquals(List.of(0, 0, 0, 0), r.backups());
    assertTrue(r.rounds().stream().allMatch(s -> s.accepted() == 5), r.rounds().toString());
  }

  @Test
  void theOptionTakesANumberOrAuto() {
    TrainerConfig auto = TrainerConfig.builder().workers(8).apply(Map.of("backups", "auto")).build();
    assertTrue(auto.autoBackups());
    assertEquals(1, auto.largestBackups(), "default max-backups: max(1, N / 10)");
    assertEquals(9, auto.tasksPerRound());
    assertEquals(TrainerConfig.DEFAULT_AUTO_BACKUPS_EVERY, auto.autoBackupsEvery());
    TrainerConfig set = TrainerConfig.builder().workers(30).apply(Map.of("backups", "AUTO", "max-backups", "4",
        "auto-backups-every", "3")).build();
    assertEquals(34, set.tasksPerRound());
    assertEquals(3, set.autoBackupsEvery());
    assertEquals(set, TrainerConfig.builder().apply(set.toProperties()).build(), "stored options read back");
    assertEquals("auto", set.toProperties().get("backups"));
    TrainerConfig fixed = TrainerConfig.builder().workers(30).apply(Map.of("backups", "2", "max-backups", "4")).build();
    assertFalse(fixed.autoBackups());
    assertEquals(32, fixed.tasksPerRound(), "max-backups is used only under auto");
    assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder().apply(Map.of("backups", "some")));
    assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder()
        .apply(Map.of("backups", "auto", "auto-backups-every", "0")).build());
    assertThrows(IllegalArgumentException.class, () -> TrainerConfig.builder()
        .apply(Map.of("backups", "auto", "max-backups", "-1")).build());
  }

  @Test
  void theScheduleChoosesFromTheTimesByTheSimulatorsRule() {
    TrainerConfig cfg = TrainerConfig.builder().workers(3).autoBackups(2, 2).seed(5).build();
    // One machine of five always 10 s, the others 0.1 s; then five equal machines.
    double[] oneSlow = {0.1, 0.1, 0.1, 0.1, 10, 0.1, 0.1, 0.1, 0.1, 10};
    double[] equal = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    BackupSchedule s = new BackupSchedule(cfg);
    assertEquals(0, s.backupsAt(0, () -> { throw new AssertionError("no times are read before round R"); }));
    assertEquals(0, s.backupsAt(1, () -> { throw new AssertionError("nor between choices"); }));
    int chosen = s.backupsAt(2, () -> oneSlow);
    assertTrue(chosen >= 1, "one slow machine: b = " + chosen);
    assertEquals(chosen, s.backupsAt(3, () -> equal), "kept until the next choice");
    assertEquals(0, s.backupsAt(4, () -> equal));
    BackupSchedule again = new BackupSchedule(cfg);
    assertEquals(chosen, again.backupsAt(2, () -> oneSlow), "the same times and seed give the same b");
    assertEquals(2, new BackupSchedule(TrainerConfig.builder().workers(3).backups(2).build())
        .backupsAt(10, () -> oneSlow), "a fixed b is every round's");
  }
}
