package org.neurolake.odm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.TrainJob;
import org.neurolake.pipelines.odm.DigitImages;
import org.neurolake.pipelines.odm.OdmTask;
import org.neurolake.pipelines.odm.OdmTasks;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine;

/** A tiny digit task written to odm_sequences and trained through {@code train --family odm} and the engine. */
class OdmFamilyTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Lake lake;
  static OdmTask task;

  @BeforeAll
  static void writeTask() {
    SparkSession.Builder b = SparkSession.builder().master("local[2]").appName("odm-family-test")
        .config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(b::config);
    spark = b.getOrCreate();
    lake = Lake.parse(dir.resolve("lake").toString());
    float[] px = new float[40 * DigitImages.PIXELS];
    int[] d = new int[40];
    for (int i = 0; i < 40; i++) {
      d[i] = i % 10;
      px[i * DigitImages.PIXELS + d[i]] = 1f;
      px[i * DigitImages.PIXELS + 20 + i % 7] = 0.5f;
    }
    String text = "the rain in spain stays mainly on the plain, so the old heron said: ".repeat(30);
    task = OdmTasks.digits(text, new DigitImages(px, d), 400, 0.25, 2);
    new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(task.rows(spark), lake,
        LakeTables.ODM_SEQUENCES, PartitionKey.of(LakeTables.ODM_SEQUENCES, "tiny"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void labelledExamplesAreInputPositionsWithTheirClasses() {
    OdmData data = OdmData.load(spark, lake, "tiny", "4", 32, 9);
    assertEquals(4, data.labelledClasses().length);
    assertEquals(task.inputClasses().length, data.sequences().inputClasses().length);
    assertTrue(Arrays.equals(task.labels(), data.sequences().labels()), "the label sequence is read back in order");
    int[] positions = OdmData.labelledPositions("4", 400, 9);
    for (int i = 0; i < 4; i++) {
      assertEquals(task.inputClasses()[positions[i]], data.labelledClasses()[i]);
    }
    assertEquals(400, OdmData.load(spark, lake, "tiny", OdmData.ALL, 32, 9).labelledClasses().length);
  }

  @Test
  void trainsThroughTheEngineAndEvaluatesTheHeldOutImages() throws Exception {
    TrainJob job = new TrainJob();
    new CommandLine(job).parseArgs("--lake", lake.root().toString(), "--family", "odm", "--dataset", "tiny",
        "--set", "run-id=odm-tiny", "--set", "workers=2", "--set", "rounds=3", "--set", "local-steps=2",
        "--set", "batch-size=2", "--set", "data.labels=4", "--set", "model.window=5",
        "--set", "model.generatorHidden=8", "--set", "model.discriminatorHidden=8");
    TrainingRun.Result r = TrainJob.run(spark, job.config());
    assertEquals(3, r.state().nextRound());
    double error = r.metrics("test").get("error");
    assertTrue(error >= 0 && error <= 1, "test error " + error);
    double validation = r.metrics("inputs").get("error");
    assertTrue(validation >= 0 && validation <= 1, "validation error " + validation);
    assertEquals(10, task.testClasses().length);
    long rows = spark.read().parquet(lake.tablePath(LakeTables.EVALUATIONS).toString())
        .where("model = 'odm' and metric = 'error'").count();
    assertTrue(rows >= 1, "no test error in evaluations");
  }
}
