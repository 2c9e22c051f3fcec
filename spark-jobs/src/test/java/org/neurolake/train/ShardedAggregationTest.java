package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.model.api.ExampleShard;

/**
 * The sharded aggregation mode against the collect mode: same parameters and optimizer state with
 * b = 0 (the averages are the same double sums rounded once, so the tolerance is a few float ulps;
 * only the acceptance order, which differs between runs, can move a sum), a lost stored result
 * recomputed to the same state, and the choice by size.
 */
class ShardedAggregationTest {
  static SparkSession spark;
  static final List<ExampleShard> SHARDS = TrainingFixtures.shards(4, 100);
  static TrainingState collected;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws Exception {
    spark = SparkSession.builder().master("local[4]").appName("sharded").config("spark.ui.enabled", "false")
        .getOrCreate();
    collected = run(config("collect").aggregation(AggregationMode.COLLECT).build(), FaultInjection.NONE,
        new ArrayList<>());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static TrainerConfig.Builder config(String runId) {
    return TrainerConfig.builder().runId(runId).workers(4).backups(0).localSteps(3).batchSize(16).rounds(4)
        .learningRate(0.01);
  }

  static TrainingState run(TrainerConfig cfg, FaultInjection faults, List<BackupWorkerTrainer.RoundSummary> rounds)
      throws InterruptedException {
    BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, cfg, TrainingFixtures.SPEC, faults);
    return trainer.train(TrainingFixtures.rdd(spark, SHARDS), BackupWorkerTrainer.initialState(TrainingFixtures.SPEC),
        cfg.rounds(), (s, st) -> rounds.add(s));
  }

  /** Equal to within 4 float ulps of the larger magnitude, element by element. */
  static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what + " length");
    for (int i = 0; i < expected.length; i++) {
      float tol = 4 * Math.ulp(Math.max(Math.abs(expected[i]), Math.abs(actual[i])));
      assertTrue(Math.abs(expected[i] - actual[i]) <= tol, what + "[" + i + "]: " + expected[i] + " vs " + actual[i]);
    }
  }

  /** The blocks of run {@code runId} the master still knows, once removals have settled (up to 5 s). */
  static int blocksOf(String runId) throws InterruptedException {
    long until = System.currentTimeMillis() + 5000;
    int n = knownBlocks(runId);
    while (n > 0 && System.currentTimeMillis() < until) {
      Thread.sleep(20);
      n = knownBlocks(runId);
    }
    return n;
  }

  static int knownBlocks(String runId) {
    String prefix = StoredResult.runPrefix(runId);
    return SparkEnv.get().blockManager().master().getMatchingBlockIds(
        new scala.runtime.AbstractFunction1<org.apache.spark.storage.BlockId, Object>() {
          @Override
          public Object apply(org.apache.spark.storage.BlockId id) {
            return id.name().startsWith(prefix);
          }
        }, false).size();
  }

  @Test
  void slicedAveragesInAFixedOrderAreTheCollectedAverageExactly() {
    SplittableRandom rnd = new SplittableRandom(5);
    int n = 5;
    int p = 1003;
    int st = 2006;
    List<WorkerResult> results = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      float[] v = new float[p];
      float[] s = new float[st];
      for (int i = 0; i < p; i++) {
        v[i] = (float) (rnd.nextGaussian() * Math.pow(10, rnd.nextInt(-6, 6)));
      }
      for (int i = 0; i < st; i++) {
        s[i] = (float) rnd.nextGaussian();
      }
      results.add(new WorkerResult("u", 0, t, new PackedFloats(v), new PackedFloats(s), 0, 0, 0, 0, 0, "e", null,
          null, null));
    }
    FirstNAverage whole = new FirstNAverage(n, p, st);
    int[] order = {3, 0, 4, 1, 2};
    for (int t : order) {
      whole.offer(results.get(t));
    }
    TrainingState expected = whole.average(0, 1);
    SliceLayout layout = SliceLayout.of(p, st, 7);
    float[] params = new float[p];
    float[] state = new float[st];
    for (int s = 0; s < layout.count(); s++) {
      List<ResultBlocks.Slice> inOrder = new ArrayList<>();
      for (int t : order) {
        // Through the block encoding, as a slice task reads them.
        inOrder.add(ResultBlocks.decode(ResultBlocks.encode(layout.parameters().cut(results.get(t).parameters(), s),
            layout.state().cut(results.get(t).optimizerState(), s))));
      }
      ResultBlocks.Slice mean = ResultBlocks.decode(SliceAverageTask.average(s, inOrder, layout));
      layout.parameters().place(mean.parameters(), s, params);
      layout.state().place(mean.state(), s, state);
    }
    assertArrayEquals(expected.parameters(), params);
    assertArrayEquals(expected.optimizerState(), state);
  }

  @Test
  void shardedGivesTheParametersAndStateOfCollect() throws Exception {
    List<BackupWorkerTrainer.RoundSummary> rounds = new ArrayList<>();
    // 3 slices of 387 parameters and 774 state values: slices of unequal size.
    TrainingState sharded = run(config("sharded").aggregation(AggregationMode.SHARDED).aggregationSlices(3).build(),
        FaultInjection.NONE, rounds);
    assertClose(collected.parameters(), sharded.parameters(), "parameters");
    assertClose(collected.optimizerState(), sharded.optimizerState(), "optimizer state");
    assertEquals(4, sharded.updates());
    assertTrue(rounds.stream().allMatch(r -> r.aggregation() == AggregationMode.SHARDED && r.recomputedResults() == 0
        && r.accepted() == 4), rounds.toString());
    long oneVectorOfBlocks = 3 * 8 + 4L * (collected.parameters().length + collected.optimizerState().length);
    assertTrue(rounds.stream().allMatch(r -> r.averageBlockBytes() == oneVectorOfBlocks),
        "the driver read each averaged slice once: " + rounds);
    assertEquals(0, blocksOf("sharded"), "every block of the run is removed");
  }

  @Test
  void aResultLostBetweenTheStagesIsRecomputedToTheSameState() throws Exception {
    List<BackupWorkerTrainer.RoundSummary> rounds = new ArrayList<>();
    FaultInjection lose = new FaultInjection(FaultInjection.Kind.LOSE_STORED_RESULT, 2, 1,
        dir.resolve("lost").toString());
    TrainingState sharded = run(config("lost").aggregation(AggregationMode.SHARDED).build(), lose, rounds);
    assertTrue(dir.resolve("lost").toFile().exists(), "the loss was injected");
    assertEquals(List.of(0, 0, 1, 0), rounds.stream().map(BackupWorkerTrainer.RoundSummary::recomputedResults)
        .toList());
    assertClose(collected.parameters(), sharded.parameters(), "parameters");
    assertClose(collected.optimizerState(), sharded.optimizerState(), "optimizer state");
    assertEquals(0, blocksOf("lost"), "every block of the run is removed");
  }

  @Test
  void anAverageLostBeforeTheDriverReadsItIsAveragedAgain() throws Exception {
    List<BackupWorkerTrainer.RoundSummary> rounds = new ArrayList<>();
    FaultInjection lose = new FaultInjection(FaultInjection.Kind.LOSE_AVERAGED_SLICE, 1, 2,
        dir.resolve("lost-mean").toString());
    TrainingState sharded = run(config("lost-mean").aggregation(AggregationMode.SHARDED).aggregationSlices(3).build(),
        lose, rounds);
    assertTrue(dir.resolve("lost-mean").toFile().exists(), "the loss was injected");
    assertEquals(List.of(0, 0, 0, 0), rounds.stream().map(BackupWorkerTrainer.RoundSummary::recomputedResults)
        .toList(), "the workers' results were still there: none recomputed");
    assertClose(collected.parameters(), sharded.parameters(), "parameters");
    assertClose(collected.optimizerState(), sharded.optimizerState(), "optimizer state");
    assertEquals(0, blocksOf("lost-mean"), "every block of the run is removed");
  }

  @Test
  void encodingReadsTheSliceAtAbsoluteIndicesOfADirectBuffer() {
    float[] v = new float[41];
    float[] st = {1.5f, -2.5f, 3.5f, 4.5f};
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.25f - 3;
    }
    java.nio.FloatBuffer direct = java.nio.ByteBuffer.allocateDirect(4 * v.length)
        .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer().put(v);
    direct.position(5); // where the buffer stands does not matter
    ResultBlocks.Slice s = ResultBlocks.decode(ResultBlocks.encode(direct.asReadOnlyBuffer(), 11, 17, st, 1, 2));
    float[] p = new float[17];
    s.parameters().get(p);
    assertArrayEquals(java.util.Arrays.copyOfRange(v, 11, 28), p);
    float[] q = new float[2];
    s.state().get(q);
    assertArrayEquals(new float[] {-2.5f, 3.5f}, q);
    assertEquals(5, direct.position(), "the source's position is left as it was");
  }

  @Test
  void autoShardsFromTheThreshold() throws Exception {
    assertEquals(AggregationMode.COLLECT, AggregationMode.AUTO.resolve(AggregationMode.SHARDED_FROM_PARAMETERS - 1,
        AggregationMode.SHARDED_FROM_PARAMETERS));
    assertEquals(AggregationMode.SHARDED, AggregationMode.AUTO.resolve(AggregationMode.SHARDED_FROM_PARAMETERS,
        AggregationMode.SHARDED_FROM_PARAMETERS));
    assertEquals(AggregationMode.COLLECT, TrainerConfig.builder().build().aggregationFor(TrainingFixtures.SPEC
        .parameterCount()), "the default is auto, and a small model collects");
    long size = TrainingFixtures.SPEC.parameterCount();
    for (long threshold : new long[] {size, size + 1}) {
      List<BackupWorkerTrainer.RoundSummary> rounds = new ArrayList<>();
      TrainingState end = run(config("auto-" + threshold).rounds(1).apply(java.util.Map.of("aggregation", "auto",
          "sharded-from-parameters", Long.toString(threshold))).build(), FaultInjection.NONE, rounds);
      assertEquals(threshold == size ? AggregationMode.SHARDED : AggregationMode.COLLECT, rounds.get(0).aggregation());
      assertEquals(1, end.nextRound());
    }
  }
}
