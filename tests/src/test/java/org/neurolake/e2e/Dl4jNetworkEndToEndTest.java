package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import org.neurolake.family.ModelFamilies;
import org.neurolake.jobs.MakeExamplesJob;
import org.neurolake.jobs.TrainJob;
import org.neurolake.model.dl4j.Dl4jNetworkSpec;
import org.neurolake.model.dl4j.Dl4jNetworkType;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.RunRecord;
import org.neurolake.train.TrainingRun;

/**
 * {@code train --family dl4j --dataset blobs --config conf/train/dl4j-residual.properties}, in tiny
 * rounds: the shipped residual ComputationGraph trains on make-examples' blobs, checkpoints (its spec,
 * with the network's JSON, in the checkpoint and run record), resumes exactly, and writes its
 * evaluations in partition {@code model=dl4j}; a network whose widths do not fit the data is refused.
 */
class Dl4jNetworkEndToEndTest {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = TrainingSessions.start("local[3]", "dl4j-e2e", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static TrainJob.Config train(String lake, String dataset, String runId, String... more) {
    Path root = TestData.projectRoot();
    // The shipped config names the JSON relative to the project root; tests run in their module's directory.
    List<String> args = new ArrayList<>(List.of("--lake", lake, "--family", "dl4j", "--dataset", dataset,
        "--config", root.resolve("conf/train/dl4j-residual.properties").toString(),
        "--set", "model.configFile=" + root.resolve("conf/train/dl4j-residual.json"),
        "--set", "run-id=" + runId, "--set", "workers=2", "--set", "backups=0", "--set", "rounds=6",
        "--set", "local-steps=3", "--set", "batch-size=32", "--set", "learning-rate=0.003",
        "--set", "lr-schedule=constant", "--set", "checkpoint-every=2", "--set", "eval-every=3"));
    args.addAll(List.of(more));
    return Jobs.parse(new TrainJob(), args.toArray(String[]::new)).config();
  }

  @Test
  void theShippedResidualGraphTrainsCheckpointsResumesAndEvaluates() throws Exception {
    assertTrue(ModelFamilies.installed().names().contains("dl4j"), ModelFamilies.installed().names().toString());
    String lake = dir.resolve("lake").toString();
    // make-examples' default shape (256 features, 10 classes) is the shipped network's.
    MakeExamplesJob.run(spark, Jobs.parse(new MakeExamplesJob(), "--lake", lake, "--dataset", "blobs", "--examples",
        "1500", "--spread", "2.0").config());

    TrainingRun.Result whole = TrainJob.run(spark, train(lake, "blobs", "dl4j-whole"));
    assertEquals(6, whole.state().nextRound());
    Map<String, Double> test = whole.metrics("test");
    assertTrue(test.get("accuracy") > 0.5, "well above chance (1/10): " + test);
    assertTrue(Double.isFinite(test.get("loss")), test.toString());

    List<Row> evals = TableReader.read(spark, Lake.parse(lake), LakeTables.EVALUATIONS)
        .where("run_id = 'dl4j-whole' and model = 'dl4j'").orderBy("round", "metric").collectAsList();
    assertEquals(List.of(3, 3, 6, 6), evals.stream().map(r -> r.getInt(5)).toList());
    assertEquals(List.of("accuracy", "loss", "accuracy", "loss"), evals.stream().map(r -> r.getString(3)).toList());
    assertEquals("blobs", evals.get(0).getString(1));
    assertTrue(Files.isDirectory(dir.resolve("lake/evaluations/model=dl4j")), "partition model=dl4j");

    Path ckpt = dir.resolve("lake/checkpoints/dl4j-whole");
    try (var list = Files.list(ckpt)) {
      assertTrue(list.map(p -> p.getFileName().toString()).toList().contains("ckpt-000006"));
    }
    RunRecord record = RunRecord.read(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(ckpt.toUri()));
    assertEquals("dl4j", record.family());
    Dl4jNetworkSpec spec = assertInstanceOf(Dl4jNetworkSpec.class, record.spec());
    assertEquals(Dl4jNetworkType.COMPUTATION_GRAPH, spec.network());
    assertEquals(Dl4jNetworkSpec.of(Files.readString(TestData.projectRoot().resolve("conf/train/dl4j-residual.json")),
        1), spec, "the record holds the network itself, with the trainer's seed");
    assertTrue(spec.configuration().contains("ElementWiseVertex"), "the residual block");
    assertEquals(256, record.data().path("dims").asInt(), record.data().toString());

    TrainJob.run(spark, train(lake, "blobs", "dl4j-split", "--stop-after-round", "3"));
    TrainingRun.Result resumed = TrainJob.run(spark, train(lake, "blobs", "dl4j-split", "--resume"));
    assertEquals(3, resumed.rounds().size(), "only rounds 3..5 ran after the resume");
    assertArrayEquals(whole.state().parameters(), resumed.state().parameters());
    assertArrayEquals(whole.state().optimizerState(), resumed.state().optimizerState());
  }

  @Test
  void aNetworkThatDoesNotFitTheDataOrNoNetworkIsRefusedClearly() throws Exception {
    String lake = dir.resolve("lake-small").toString();
    MakeExamplesJob.run(spark, Jobs.parse(new MakeExamplesJob(), "--lake", lake, "--dataset", "small", "--examples",
        "200", "--dims", "8", "--classes", "3").config());
    IllegalArgumentException widths = assertThrows(IllegalArgumentException.class,
        () -> TrainJob.run(spark, train(lake, "small", "dl4j-widths")));
    assertTrue(widths.getMessage().endsWith("takes 256 inputs but the examples have 8 features"), widths.getMessage());

    IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> TrainJob.run(spark,
        train(lake, "small", "dl4j-none", "--set", "model.configFile=")));
    assertTrue(none.getMessage().contains("needs model.configFile="), none.getMessage());

    Path notDl4j = dir.resolve("not-dl4j.json");
    Files.writeString(notDl4j, "{\"layers\": [256, 128, 10]}");
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> TrainJob.run(spark,
        train(lake, "small", "dl4j-bad", "--set", "model.configFile=" + notDl4j)));
    assertTrue(bad.getMessage().contains("not a DL4J network configuration"), bad.getMessage());
  }
}
