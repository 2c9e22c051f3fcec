package org.neurolake.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.LearningRateSchedule;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingFixtures;
import org.neurolake.train.TrainingRun;
import org.neurolake.train.TrainingState;

/** The simulated engines compute what the real engine does, on the virtual clock they claim. */
class SimulationTest {
  private static final StepTimes SKEWED = new StepTimes.LogNormal(1.0, 1.0);

  private static TrainerConfig cfg(int rounds) {
    return TrainerConfig.builder().runId("sim").workers(5).backups(0).localSteps(3).batchSize(16).rounds(rounds)
        .learningRate(0.01).schedule(LearningRateSchedule.Kind.LINEAR).finalFraction(0.2).build();
  }

  /** An evaluator that keeps every parameter vector it is shown. */
  private static TrainingRun.Evaluator keeping(List<float[]> seen) {
    return (parameters, step) -> {
      seen.add(parameters.clone());
      return List.of(new TrainingRun.Evaluation("test", "norm", norm(parameters)));
    };
  }

  @Test
  void synchronousWithoutBackupsIsTheEnginesParameterAveraging() {
    TrainerConfig cfg = cfg(4);
    List<ExampleShard> shards = TrainingFixtures.shards(5, 100);
    List<float[]> seen = new ArrayList<>();
    SimResult r = new SyncSimulation("b0", 0, 0, 10, 4, 0, 0.5, SKEWED, 3, 4)
        .run(TrainingFixtures.SPEC, cfg, new SimWorkers(TrainingFixtures.SPEC, cfg, shards), keeping(seen));
    TrainingState ref = TrainingFixtures.reference(cfg, shards, 4);
    assertArrayEquals(ref.parameters(), seen.get(0), 1e-6f);
    // The clock: each round lasts until its slowest (N-th of N) worker, plus the overhead.
    double clock = 0;
    for (int round = 0; round < 4; round++) {
      final int rr = round;
      clock += IntStream.range(0, 5).mapToDouble(w -> SKEWED.seconds(3, rr, w)).max().orElseThrow() + 0.5;
      assertEquals(clock, r.steps().get(round).virtualS(), 1e-9);
      assertEquals(5, r.steps().get(round).workers());
    }
  }

  @Test
  void backupsAverageTheFirstNToArriveAndTheRoundEndsAtTheNth() {
    TrainerConfig cfg = cfg(1);
    List<ExampleShard> shards = TrainingFixtures.shards(5, 100);
    List<float[]> seen = new ArrayList<>();
    SimResult r = new SyncSimulation("b2", 2, 0, 10, 1, 0, 0, SKEWED, 7, 1)
        .run(TrainingFixtures.SPEC, cfg, new SimWorkers(TrainingFixtures.SPEC, cfg, shards), keeping(seen));
    Integer[] byTime = IntStream.range(0, 5).boxed().sorted((a, b) -> Double.compare(SKEWED.seconds(7, 0, a),
        SKEWED.seconds(7, 0, b))).toArray(Integer[]::new);
    // The expected average: the three fastest workers' K local steps from the initial state.
    TrainingState start = BackupWorkerTrainer.initialState(TrainingFixtures.SPEC);
    double[] sum = new double[start.parameters().length];
    for (int k = 0; k < 3; k++) {
      TrainableModel m = TrainingFixtures.SPEC.build();
      m.setParameters(start.parameters());
      m.setOptimizerState(start.optimizerState());
      m.setStep(0);
      m.setLearningRate(cfg.learningRate().rate(0, 1));
      for (int s = 0; s < 3; s++) {
        m.fit(shards.get(byTime[k]).batch(s * 16, 16));
      }
      float[] p = m.parameters();
      for (int i = 0; i < sum.length; i++) {
        sum[i] += p[i];
      }
    }
    float[] expected = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      expected[i] = (float) (sum[i] / 3);
    }
    assertArrayEquals(expected, seen.get(0), 1e-6f);
    assertEquals(SKEWED.seconds(7, 0, byTime[2]), r.steps().get(0).virtualS(), 1e-12);
    assertEquals(3, r.steps().get(0).workers());
    assertEquals(2, r.steps().get(0).backups());
  }

  @Test
  void asynchronousAppliesEachWorkersChangeAndRecordsStaleness() {
    TrainerConfig cfg = cfg(3);
    List<ExampleShard> one = TrainingFixtures.shards(1, 100);
    // One worker: every update is fresh, and applying its change equals taking its parameters.
    List<float[]> asyncSeen = new ArrayList<>();
    SimResult a = new AsyncSimulation("async", 3, 0, 1.0, SKEWED, 1, 3)
        .run(TrainingFixtures.SPEC, cfg, new SimWorkers(TrainingFixtures.SPEC, cfg, one), keeping(asyncSeen));
    List<float[]> syncSeen = new ArrayList<>();
    new SyncSimulation("b0", 0, 0, 10, 3, 0, 0, SKEWED, 1, 3)
        .run(TrainingFixtures.SPEC, cfg, new SimWorkers(TrainingFixtures.SPEC, cfg, one), keeping(syncSeen));
    assertArrayEquals(syncSeen.get(0), asyncSeen.get(0), 1e-5f);
    assertTrue(a.steps().stream().allMatch(s -> s.staleness() == 0));
    // Four workers with equal step times finish together, in worker order: the k-th of each wave has
    // seen k updates applied since its read (the first wave) and 3 after that.
    StepTimes equal = new StepTimes.LogNormal(1.0, 0.0);
    SimResult four = new AsyncSimulation("async", 12, 0, 1.0, equal, 1, 1)
        .run(TrainingFixtures.SPEC, cfg, new SimWorkers(TrainingFixtures.SPEC, cfg, TrainingFixtures.shards(4, 100)),
            (p, s) -> List.of());
    assertEquals(List.of(0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3), four.steps().stream().map(SimStep::staleness).toList());
    assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 3.0, 3.0, 3.0, 3.0),
        four.steps().stream().map(SimStep::virtualS).toList());
  }

  @Test
  void automaticBackupsFollowTheObservedTimes() {
    TrainerConfig cfg = cfg(30);
    // One step in ten is 20 s instead of about 1: with 10 machines some backups pay.
    StepTimes tail = new StepTimes.ParetoTail(1.0, 0.1, 0.1, 20.0, 50.0);
    SimResult r = new SyncSimulation("auto", SyncSimulation.AUTO, 4, 5, 30, 0, 0, tail, 3, 30)
        .run(TrainingFixtures.SPEC, cfg, new SimWorkers(TrainingFixtures.SPEC, cfg, TrainingFixtures.shards(10, 50)),
            (p, s) -> List.of());
    assertEquals(0, r.autoBackups().get(0), "no times seen yet: start without backups");
    assertTrue(r.autoBackups().subList(5, 30).stream().allMatch(b -> b >= 2), r.autoBackups().toString());
  }

  private static double norm(float[] p) {
    double s = 0;
    for (float v : p) {
      s += v * v;
    }
    return Math.sqrt(s);
  }
}
