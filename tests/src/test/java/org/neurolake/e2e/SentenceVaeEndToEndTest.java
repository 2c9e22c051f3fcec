package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.EvaluateVaeJob;
import org.neurolake.jobs.TrainJob;
import org.neurolake.model.vae.SentenceVaeSpec;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableDef;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.RunRecord;
import org.neurolake.train.TrainingRun;
import org.neurolake.vae.VaeRunEvaluation;

/**
 * {@code train --family sentence-vae --config conf/train/vae-ptb.properties} (and the RNNLM config)
 * in tiny rounds on generated sentences and vocab tables (12 ids; each sentence a run of a fixed
 * successor rule from a random first word), then {@code evaluate-vae}: both runs learn (bound far
 * below the uniform model's), the evaluations table holds both runs' valid and test rows.
 */
class SentenceVaeEndToEndTest {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = TrainingSessions.start("local[2]", "vae-e2e", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static void write(Lake lake, TableDef table, List<Row> rows, String... partition) {
    spark.createDataFrame(rows, table.dataSchema()).coalesce(1).write()
        .parquet(lake.partitionPath(table, PartitionKey.of(table, partition)).toString());
  }

  /** Sentence i: first word 3 + i mod 9, then w -> 3 + (w + 4) mod 9, 3 + i mod 4 words, then <eos>. */
  private static List<Row> sentences(int count, int offset) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int k = offset + i;
      int length = 3 + k % 4;
      List<String> tokens = new ArrayList<>();
      int w = 3 + k % 9;
      for (int t = 0; t < length; t++) {
        tokens.add("w" + w);
        w = 3 + (w + 4) % 9;
      }
      tokens.add("<eos>");
      rows.add(RowFactory.create((long) i, tokens.toArray(new String[0]), tokens.size()));
    }
    return rows;
  }

  @Test
  void trainsBothModelsAndEvaluatesThemOnValidAndTest() throws Exception {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    List<Row> vocab = new ArrayList<>(List.of(RowFactory.create("<unk>", 0, 0L), RowFactory.create("<eos>", 1, 10L),
        RowFactory.create("<s>", 2, 0L)));
    for (int id = 3; id < 12; id++) {
      vocab.add(RowFactory.create("w" + id, id, 10L));
    }
    write(lake, LakeTables.VOCAB, vocab, "toy", "v12");
    write(lake, LakeTables.SENTENCES, sentences(300, 0), "toy", "train");
    write(lake, LakeTables.SENTENCES, sentences(40, 1000), "toy", "valid");
    write(lake, LakeTables.SENTENCES, sentences(40, 2000), "toy", "test");
    for (String[] run : new String[][] {{"vae-toy", "vae-ptb"}, {"rnnlm-toy", "rnnlm-ptb"}}) {
      TrainJob.Config cfg = Jobs.parse(new TrainJob(), "--lake", lake.root().toString(), "--family", "sentence-vae",
          "--dataset", "toy/v12", "--config", TestData.projectRoot().resolve("conf/train/" + run[1] + ".properties")
              .toString(), "--set", "run-id=" + run[0], "--set", "rounds=8", "--set", "local-steps=8",
          "--set", "batch-size=16", "--set", "learning-rate=0.01", "--set", "eval-every=4", "--set", "checkpoint-every=4",
          "--set", "time-budget-s=0", "--set", "model.embeddingSize=8", "--set", "model.encoderHidden=8",
          "--set", "model.decoderHidden=16", "--set", "model.latentSize=2", "--set", "model.klX0=20",
          "--set", "model.klK=0.2", "--set", "data.eval-sentences=0").config();
      TrainingRun.Result result = TrainJob.run(spark, cfg);
      Map<String, Double> valid = result.metrics("valid");
      System.out.println("sentence-vae e2e " + run[0] + ": valid " + valid);
      // Uniform over 12 ids: 4.5 + 1 tokens on average x ln 12.
      assertTrue(valid.get("nll") < 0.75 * 5.5 * Math.log(12), run[0] + ": " + valid);

      VaeRunEvaluation.Result eval = EvaluateVaeJob.run(spark, Jobs.parse(new EvaluateVaeJob(), "--lake",
          lake.root().toString(), "--run-id", run[0], "--samples", "3").config());
      Map<String, Double> test = eval.bySplit().get("test");
      assertEquals(40, test.get("sentences"));
      assertTrue(test.get("nll_is") <= test.get("nll") + 1e-3, "the IS estimate is tighter than the bound: " + test);
      assertEquals(2, eval.checkpointsCompared(), "rounds 4 and 8 are kept");
      assertTrue(java.nio.file.Files.size(dir.resolve("lake/reports/" + run[0] + "/plots/kl_recon.png")) > 1000,
          "the KL and reconstruction curve of " + run[0]);
    }
    RunRecord record = RunRecord.read(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(dir.resolve("lake/checkpoints/rnnlm-toy").toUri()));
    SentenceVaeSpec spec = assertInstanceOf(SentenceVaeSpec.class, record.spec());
    assertEquals(SentenceVaeSpec.EncoderKind.NONE, spec.encoder());
    long rows = TableReader.read(spark, lake, LakeTables.EVALUATIONS).where("model = 'sentence-vae' and round is not null"
        + " and metric = 'nll_is'").count();
    assertEquals(4, rows, "nll_is of valid and test for both runs");
  }
}
