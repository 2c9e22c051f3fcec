package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurolake.report.PlotImages;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.MakeExamplesJob;
import org.neurolake.jobs.PlotRoundsJob;
import org.neurolake.jobs.TrainClassifierJob;
import org.neurolake.train.TrainingRun;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;

/** make-examples -> train-classifier (with stragglers and backups) -> train_rounds, evaluations, checkpoints -> plots. */
class TrainingEndToEndTest {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = TrainingSessions.start("local[5]", "training-e2e", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void trainsRecordsEveryTaskEvaluatesCheckpointsAndPlots() throws Exception {
    String lake = dir.resolve("lake").toString();
    MakeExamplesJob.run(spark, Jobs.parse(new MakeExamplesJob(), "--lake", lake, "--dataset", "blobs", "--examples",
        "4000", "--dims", "20", "--classes", "4", "--spread", "2.0").config());
    org.neurolake.jobs.TrainJob.Config cfg = Jobs.parse(new TrainClassifierJob(), "--lake", lake, "--dataset", "blobs",
        "--config", TestData.projectRoot().resolve("conf/train/mlp-blobs.properties").toString(), "--hidden", "32",
        "--set", "run-id=e2e", "--set", "workers=3", "--set", "backups=1", "--set", "rounds=6",
        "--set", "checkpoint-every=2", "--set", "keep-checkpoints=2", "--set", "eval-every=3",
        "--set", "learning-rate=0.01", "--set", "stragglers=lognormal:100:1").config();
    TrainingRun.Result r = TrainClassifierJob.run(spark, cfg);
    assertEquals(6, r.state().nextRound());
    assertTrue(r.metrics("test").get("accuracy") > 0.6, r.metrics("test").toString());

    List<Row> rounds = TableReader.read(spark, Lake.parse(lake), LakeTables.TRAIN_ROUNDS)
        .where("run_id = 'e2e'").collectAsList();
    Map<Integer, List<Row>> byRound = rounds.stream().collect(Collectors.groupingBy(x -> x.getInt(0)));
    assertEquals(6, byRound.size());
    for (List<Row> tasks : byRound.values()) {
      assertEquals(4, tasks.size(), "every task of the round is recorded, the dropped one too: " + tasks);
      assertEquals(3, tasks.stream().filter(t -> t.getBoolean(6)).count());
      assertTrue(tasks.stream().filter(t -> t.getBoolean(6)).allMatch(t -> !t.isNullAt(7) && t.getLong(8) > 0));
      assertTrue(tasks.stream().allMatch(t -> t.getLong(5) >= t.getLong(4)));
    }

    List<Row> evals = TableReader.read(spark, Lake.parse(lake), LakeTables.EVALUATIONS)
        .where("run_id = 'e2e' and model = 'mlp'").orderBy("round", "metric").collectAsList();
    assertEquals(List.of(3, 3, 6, 6), evals.stream().map(x -> x.getInt(5)).toList());
    assertEquals(List.of("accuracy", "loss", "accuracy", "loss"), evals.stream().map(x -> x.getString(3)).toList());

    Path ckpt = dir.resolve("lake/checkpoints/e2e");
    try (var list = Files.list(ckpt)) {
      assertEquals(List.of("ckpt-000004", "ckpt-000006", "run.json"),
          list.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList());
    }

    // Rerunning the finished run with --resume (a scheduler retrying the task) trains and appends nothing.
    org.neurolake.jobs.TrainJob.Config again = Jobs.parse(new TrainClassifierJob(), "--lake", lake, "--dataset", "blobs",
        "--config", TestData.projectRoot().resolve("conf/train/mlp-blobs.properties").toString(), "--hidden", "32",
        "--set", "run-id=e2e", "--set", "workers=3", "--set", "backups=1", "--set", "rounds=6",
        "--set", "checkpoint-every=2", "--set", "keep-checkpoints=2", "--set", "eval-every=3",
        "--set", "learning-rate=0.01", "--set", "stragglers=lognormal:100:1", "--resume").config();
    TrainingRun.Result rerun = TrainClassifierJob.run(spark, again);
    assertEquals(List.of(), rerun.rounds());
    assertEquals(r.metrics("test"), rerun.metrics("test"));
    assertEquals(4, TableReader.read(spark, Lake.parse(lake), LakeTables.EVALUATIONS).where("run_id = 'e2e'").count());
    assertEquals(rounds.size(), TableReader.read(spark, Lake.parse(lake), LakeTables.TRAIN_ROUNDS)
        .where("run_id = 'e2e'").count());

    // A time budget that ends the run on a round where the periodic steps already ran: that round
    // gets one checkpoint and one set of evaluations, not two.
    TrainingRun.Result cut = TrainClassifierJob.run(spark, Jobs.parse(new TrainClassifierJob(), "--lake", lake,
        "--dataset", "blobs", "--config", TestData.projectRoot().resolve("conf/train/mlp-blobs.properties").toString(),
        "--hidden", "32", "--set", "run-id=budget", "--set", "workers=2", "--set", "rounds=1000",
        "--set", "checkpoint-every=1", "--set", "eval-every=1", "--set", "time-budget-s=0.001").config());
    assertEquals(1, cut.state().nextRound());
    List<Row> cutEvals = TableReader.read(spark, Lake.parse(lake), LakeTables.EVALUATIONS)
        .where("run_id = 'budget'").collectAsList();
    assertEquals(List.of(1, 1), cutEvals.stream().map(x -> x.getInt(5)).toList(), cutEvals.toString());
    assertEquals(cut.metrics("test").get("loss"), cutEvals.stream().filter(x -> x.getString(3).equals("loss"))
        .findFirst().orElseThrow().getDouble(4), 1e-12);

    List<org.apache.hadoop.fs.Path> pngs = PlotRoundsJob.run(spark,
        Jobs.parse(new PlotRoundsJob(), "--lake", lake, "--run-id", "e2e").config());
    assertEquals(2, pngs.size(), pngs.toString());
    for (org.apache.hadoop.fs.Path p : pngs) {
      PlotImages.assertPlotted(p, 900);
    }
  }
}
