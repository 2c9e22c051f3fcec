package org.neurolake.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.family.TrainedModel;
import org.neurolake.jobs.MakeExamplesJob;
import org.neurolake.jobs.TrainJob;
import org.neurolake.model.mlp.MlpSpec;
import org.neurolake.pipelines.synthetic.GaussianBlobs;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.report.PlotImages;
import org.neurolake.train.BackupWorkerTrainer;
import picocli.CommandLine;

/**
 * {@code train --family mlp --search pbt} on tiny generated blobs, P=4 members of one worker, 3
 * generations of 2 rounds: the pbt_members history, the run's result, and resume at a boundary.
 */
class PbtSearchTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Path space;

  @BeforeAll
  static void start() throws Exception {
    SparkSession.Builder b = SparkSession.builder().master("local[2]").appName("pbt-test")
        .config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(b::config);
    spark = b.getOrCreate();
    space = dir.resolve("mlp-pbt.properties");
    Files.writeString(space, String.join("\n",
        "learning-rate = log 1e-5 0.3",
        "model.l2 = log 1e-6 1e-2",
        "pbt.population = 4",
        "pbt.generation-rounds = 2",
        "pbt.generations = 3",
        "pbt.exploit-fraction = 0.25",
        "pbt.metric-split = test",
        "pbt.metric = accuracy",
        "pbt.seed = 5", ""));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  static String lake(String name) {
    String lake = dir.resolve(name).toString();
    MakeExamplesJob.run(spark, new MakeExamplesJob.Config(Lake.parse(lake), "blobs",
        new GaussianBlobs(600, 8, 3, 1.5, 0.3, 1)));
    return lake;
  }

  /** The run's own values of the searched hyperparameters (member 0 starts at them). */
  static final double RUN_LR = 0.0123;
  static final double RUN_L2 = 4.2e-4;

  static PbtSearch.Result search(String lake, String... extra) throws InterruptedException {
    TrainJob job = new TrainJob();
    List<String> args = new java.util.ArrayList<>(List.of("--lake", lake, "--family", "mlp", "--dataset", "blobs",
        "--search", "pbt", "--search-space", space.toString(), "--set", "run-id=pbt1", "--set", "workers=1",
        "--set", "backups=0", "--set", "local-steps=2", "--set", "batch-size=16", "--set", "model.hidden=16",
        "--set", "learning-rate=" + RUN_LR, "--set", "model.l2=" + RUN_L2));
    args.addAll(List.of(extra));
    new CommandLine(job).parseArgs(args.toArray(String[]::new));
    return PbtSearch.run(spark, job.searchConfig());
  }

  /** The uninterrupted search, run once for both tests. */
  static PbtSearch.Result whole;

  static synchronized PbtSearch.Result whole() throws InterruptedException {
    if (whole == null) {
      whole = search(lake("full"));
    }
    return whole;
  }

  @Test
  void aSearchWritesEveryMembersHistoryAndTheBestMemberIsTheRunsResult() throws Exception {
    String lake = dir.resolve("full").toString();
    PbtSearch.Result r = whole();
    List<PbtMembersTable.Row> rows = PbtMembersTable.read(spark, Lake.parse(lake), "pbt1");
    assertEquals(12, rows.size(), rows.toString());
    assertEquals(rows, r.history());
    double[] best = new double[3];
    java.util.Arrays.fill(best, Double.NEGATIVE_INFINITY);
    for (PbtMembersTable.Row row : rows) {
      best[row.generation()] = Math.max(best[row.generation()], row.value());
      assertEquals("test/accuracy", row.metric());
      assertEquals(2 * (row.generation() + 1), row.round());
      double lr = row.hyperparameters().get("learning-rate");
      assertTrue(lr >= 1e-5 && lr <= 0.3, row.toString());
      if (row.generation() == 0) {
        assertEquals(row.member(), row.parent());
      }
    }
    for (int g = 1; g < 3; g++) {
      int gen = g;
      List<PbtMembersTable.Row> replaced = rows.stream().filter(x -> x.generation() == gen && x.parent() != x.member())
          .toList();
      assertEquals(1, replaced.size(), "one of four members replaced in generation " + g + ": " + rows);
      PbtMembersTable.Row child = replaced.get(0);
      PbtMembersTable.Row parent = rows.stream().filter(x -> x.generation() == gen - 1 && x.member() == child.parent())
          .findFirst().orElseThrow();
      assertTrue(rows.stream().filter(x -> x.generation() == gen - 1).allMatch(x -> x.value() <= parent.value()),
          "the parent was the best of the previous generation");
    }
    double bestSeen = java.util.Arrays.stream(best).max().orElseThrow();
    assertEquals(bestSeen, r.bestValue(), "the result is the best state seen in any generation");
    PbtMembersTable.Row chosen = rows.stream().filter(x -> x.value() == bestSeen).findFirst().orElseThrow();
    assertEquals(chosen.generation(), r.bestGeneration(), "the first best in (generation, member) order");
    assertEquals(chosen.member(), r.bestMember());
    assertEquals(chosen.hyperparameters(), r.bestHyperparameters());

    TrainedModel<MlpSpec> m = TrainedModel.load(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(dir.resolve("full/checkpoints/pbt1").toUri()), MlpSpec.class);
    assertEquals(chosen.round(), m.round());
    assertEquals(chosen.hyperparameters().get("model.l2"), m.spec().l2(), "the result's spec has its l2");
    assertTrue(java.util.Arrays.equals(r.bestState().parameters(), m.parameters()), "the best member's parameters");
    double accuracy = TableReader.read(spark, Lake.parse(lake), LakeTables.EVALUATIONS)
        .where("run_id = 'pbt1' and metric = 'accuracy'").first().getDouble(4);
    assertEquals(bestSeen, accuracy);
    PlotImages.assertPlotted(r.plot(), 900);
  }

  @Test
  void memberZeroStartsAtTheRunsOwnHyperparametersAndTheOthersAreDrawn() throws Exception {
    List<PbtMembersTable.Row> first = whole().history().stream().filter(x -> x.generation() == 0).toList();
    assertEquals(java.util.Map.of("learning-rate", RUN_LR, "model.l2", RUN_L2),
        first.get(0).hyperparameters().values(), "member 0 of generation 0: " + first);
    assertTrue(first.stream().skip(1).allMatch(x -> x.hyperparameters().get("learning-rate") != RUN_LR
        && x.hyperparameters().get("model.l2") != RUN_L2), "members 1.. are random draws: " + first);
  }

  @Test
  void theResultIsTheBestStateSeenEvenWhenItIsFromAnEarlierGeneration() throws Exception {
    // Ranked by the lowest test accuracy, the best state seen is an untrained-ish one of generation 0.
    PbtSearch.Result r = search(lake("min"), "--search-set", "pbt.direction=min", "--search-set",
        "pbt.generations=2");
    double lowest = r.history().stream().mapToDouble(PbtMembersTable.Row::value).min().orElseThrow();
    double lowestLast = r.history().stream().filter(x -> x.generation() == 1)
        .mapToDouble(PbtMembersTable.Row::value).min().orElseThrow();
    assertTrue(lowest < lowestLast, "the fixture needs an earlier best: " + r.history());
    assertEquals(lowest, r.bestValue());
    assertEquals(0, r.bestGeneration());
    TrainedModel<MlpSpec> m = TrainedModel.load(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(dir.resolve("min/checkpoints/pbt1").toUri()), MlpSpec.class);
    assertEquals(2, m.round(), "the written result is generation 0's state");
    assertTrue(java.util.Arrays.equals(r.bestState().parameters(), m.parameters()));

    // That state is member 0's, seeded with the run's hyperparameters and seed: the run itself (its
    // constant learning rate does not depend on the total rounds), trained 2 rounds on its own.
    assertEquals(0, r.bestMember());
    TrainJob fixed = new TrainJob();
    new CommandLine(fixed).parseArgs("--lake", dir.resolve("min").toString(), "--family", "mlp", "--dataset", "blobs",
        "--search", "none", "--set", "run-id=fixed1", "--set", "rounds=2", "--set", "workers=1", "--set", "backups=0",
        "--set", "local-steps=2", "--set", "batch-size=16", "--set", "model.hidden=16", "--set",
        "learning-rate=" + RUN_LR, "--set", "model.l2=" + RUN_L2, "--set", "time-budget-s=0");
    float[] run = TrainJob.run(spark, fixed.config()).state().parameters();
    assertTrue(java.util.Arrays.equals(run, r.bestState().parameters()), "member 0 is the run itself");
  }

  @Test
  void resumingAtAGenerationBoundaryGivesTheRowsOfAnUninterruptedSearch() throws Exception {
    PbtSearch.Result whole = whole();
    String lake = lake("resumed");
    PbtSearch.Result first = search(lake, "--stop-after-round", "4");
    assertEquals(8, first.history().size(), "two generations before the stop");
    PbtSearch.Result resumed = search(lake, "--resume");
    assertEquals(whole.history(), PbtMembersTable.read(spark, Lake.parse(lake), "pbt1"));
    assertEquals(whole.history(), resumed.history());
  }
}
