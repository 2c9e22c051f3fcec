package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.e2e.plugin.SoftmaxSpec;
import org.neurolake.family.ModelFamilies;
import org.neurolake.jobs.InferJob;
import org.neurolake.jobs.MakeExamplesJob;
import org.neurolake.jobs.TrainJob;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.RunRecord;
import org.neurolake.train.TrainingRun;

/**
 * A model family that exists only in this module's test class path ({@code e2e.plugin}), registered
 * through {@code META-INF/services} and nothing else, trained by the generic {@code train} job:
 * checkpoints, evaluations, run record, and a resumed run equal to an uninterrupted one.
 */
class ModelPluginEndToEndTest {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = TrainingSessions.start("local[3]", "plugin-e2e", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static TrainJob.Config train(String lake, String runId, String... more) {
    List<String> args = new ArrayList<>(List.of("--lake", lake, "--family", "toy-softmax", "--dataset", "blobs",
        "--set", "run-id=" + runId, "--set", "workers=2", "--set", "backups=0", "--set", "rounds=6",
        "--set", "local-steps=3", "--set", "batch-size=32", "--set", "learning-rate=0.05",
        "--set", "checkpoint-every=2", "--set", "eval-every=3", "--set", "model.momentum=0.5"));
    args.addAll(List.of(more));
    return Jobs.parse(new TrainJob(), args.toArray(String[]::new)).config();
  }

  @Test
  void aFamilyRegisteredOnlyThroughServiceFilesTrainsCheckpointsResumesAndEvaluates() throws Exception {
    assertTrue(ModelFamilies.installed().names().contains("toy-softmax"), ModelFamilies.installed().names().toString());
    assertTrue(ModelSpecs.kinds().contains("TOY_SOFTMAX"), ModelSpecs.kinds().toString());
    String lake = dir.resolve("lake").toString();
    MakeExamplesJob.run(spark, Jobs.parse(new MakeExamplesJob(), "--lake", lake, "--dataset", "blobs", "--examples",
        "1500", "--dims", "8", "--classes", "3", "--spread", "1.5").config());

    TrainingRun.Result whole = TrainJob.run(spark, train(lake, "toy-whole"));
    assertEquals(6, whole.state().nextRound());
    assertTrue(whole.metrics("test").get("accuracy") > 0.6, "well above chance (1/3): " + whole.metrics("test"));

    TrainJob.run(spark, train(lake, "toy-split", "--stop-after-round", "3"));
    TrainingRun.Result resumed = TrainJob.run(spark, train(lake, "toy-split", "--resume"));
    assertEquals(3, resumed.rounds().size(), "only rounds 3..5 ran after the resume");
    assertEquals(whole.state().updates(), resumed.state().updates());
    assertArrayEquals(whole.state().parameters(), resumed.state().parameters());
    assertArrayEquals(whole.state().optimizerState(), resumed.state().optimizerState());

    List<Row> evals = TableReader.read(spark, Lake.parse(lake), LakeTables.EVALUATIONS)
        .where("run_id = 'toy-whole' and model = 'toy-softmax'").orderBy("round", "metric").collectAsList();
    assertEquals(List.of(3, 3, 6, 6), evals.stream().map(r -> r.getInt(5)).toList());
    assertEquals(List.of("accuracy", "loss", "accuracy", "loss"), evals.stream().map(r -> r.getString(3)).toList());
    assertEquals("blobs", evals.get(0).getString(1));

    Path ckpt = dir.resolve("lake/checkpoints/toy-whole");
    try (var list = Files.list(ckpt)) {
      assertTrue(list.map(p -> p.getFileName().toString()).toList().contains("ckpt-000006"));
    }
    RunRecord record = RunRecord.read(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(ckpt.toUri()));
    assertEquals("toy-softmax", record.family());
    assertEquals(new SoftmaxSpec(8, 3, 0.05, 0.5, 1), record.spec());
    assertEquals(3, record.data().path("n_classes").asInt(), record.data().toString());

    IllegalArgumentException noInference = assertThrows(IllegalArgumentException.class, () -> InferJob.run(spark,
        Jobs.parse(new InferJob(), "--lake", lake, "--run-id", "toy-whole").config()));
    assertTrue(noInference.getMessage().contains("has no inference"), noInference.getMessage());
  }
}
