package org.neurolake.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import org.neurolake.jobs.HomotopyJob;
import org.neurolake.jobs.ImputeJob;
import org.neurolake.jobs.SampleVaeJob;
import org.neurolake.jobs.TrainJob;
import org.neurolake.model.vae.SentenceShard;
import org.neurolake.model.vae.SentenceVaeModel;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableDef;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.BackupWorkerTrainer;
import picocli.CommandLine;

/**
 * sample-vae, homotopy and impute on a tiny VAE and RNNLM trained through {@code train --family
 * sentence-vae} on generated tables (12 ids; each sentence a run of a fixed successor rule from a
 * random first word, so the first word decides the sentence). Every table row is checked against
 * the model itself: the stored z decodes to the stored text, a homotopy's ends are the greedy
 * decodes of the two posterior means, an imputation's log-likelihood is the held-out words' under
 * the prefix's posterior mean.
 */
class VaeJobsTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Lake lake;

  @BeforeAll
  static void train() throws Exception {
    SparkSession.Builder b = SparkSession.builder().master("local[2]").appName("vae-jobs-test")
        .config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(b::config);
    spark = b.getOrCreate();
    lake = Lake.parse(dir.resolve("lake").toString());
    List<Row> vocab = new ArrayList<>(List.of(RowFactory.create("<unk>", 0, 0L), RowFactory.create("<eos>", 1, 10L),
        RowFactory.create("<s>", 2, 0L)));
    for (int id = 3; id < 12; id++) {
      vocab.add(RowFactory.create("w" + id, id, 10L));
    }
    write(LakeTables.VOCAB, vocab, "toy", "v12");
    write(LakeTables.SENTENCES, sentences(200, 0), "toy", "train");
    write(LakeTables.SENTENCES, sentences(20, 1000), "toy", "valid");
    write(LakeTables.SENTENCES, sentences(20, 2000), "toy", "test");
    for (String[] run : new String[][] {{"vae-toy", "LSTM", "0.75"}, {"rnnlm-toy", "NONE", "1.0"}}) {
      TrainJob job = new TrainJob();
      new CommandLine(job).parseArgs("--lake", lake.root().toString(), "--family", "sentence-vae",
          "--dataset", "toy/v12", "--set", "run-id=" + run[0], "--set", "workers=2", "--set", "rounds=2",
          "--set", "local-steps=4", "--set", "batch-size=16", "--set", "learning-rate=0.01", "--set", "eval-every=2",
          "--set", "checkpoint-every=2", "--set", "model.encoder=" + run[1], "--set", "model.wordKeep=" + run[2],
          "--set", "model.embeddingSize=8", "--set", "model.encoderHidden=8", "--set", "model.decoderHidden=8",
          "--set", "model.latentSize=2", "--set", "model.klX0=20", "--set", "model.klK=0.2");
      TrainJob.run(spark, job.config());
    }
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static void write(TableDef table, List<Row> rows, String... partition) {
    new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(
        spark.createDataFrame(rows, table.dataSchema()).coalesce(1), lake, table, PartitionKey.of(table, partition));
  }

  /** Sentence i: first word 3 + i mod 9, then w -> 3 + (w + 4) mod 9, 4 + i mod 4 words, then <eos>. */
  private static List<Row> sentences(int count, int offset) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int k = offset + i;
      List<String> tokens = new ArrayList<>();
      int w = 3 + k % 9;
      for (int t = 0; t < 4 + k % 4; t++) {
        tokens.add("w" + w);
        w = 3 + (w + 4) % 9;
      }
      tokens.add("<eos>");
      rows.add(RowFactory.create((long) i, tokens.toArray(new String[0]), tokens.size()));
    }
    return rows;
  }

  private static VaeRunEvaluation.LoadedRun loaded(String runId) {
    return VaeRunEvaluation.load(spark, lake, new org.apache.hadoop.fs.Path(lake.root().toString(),
        "checkpoints/" + runId));
  }

  private static <T> T parse(T job, String... args) {
    new CommandLine(job).parseArgs(args);
    return job;
  }

  @Test
  void sampleVaeStoresZThatDecodesToItsTextAndRepeatsGivenTheSeed() {
    SampleVaeJob.Config cfg = parse(new SampleVaeJob(), "--lake", lake.root().toString(), "--run-id", "vae-toy",
        "--samples", "4", "--max-length", "12", "--seed", "5").config();
    SampleVaeJob.Result first = SampleVaeJob.run(spark, cfg);
    SampleVaeJob.Result again = SampleVaeJob.run(spark, cfg);
    assertEquals(first.texts(), again.texts());
    List<Row> rows = TableReader.read(spark, lake, LakeTables.VAE_SAMPLES).where("run_id = 'vae-toy'")
        .orderBy("seed").collectAsList();
    assertEquals(8, rows.size());
    VaeRunEvaluation.LoadedRun run = loaded("vae-toy");
    SentenceVaeModel model = run.latest().model();
    List<Float> z0 = rows.get(0).getList(rows.get(0).fieldIndex("z"));
    assertEquals(2, z0.size());
    assertEquals(5L, rows.get(0).getLong(rows.get(0).fieldIndex("seed")));
    for (Row r : rows) {
      List<Float> z = r.getList(r.fieldIndex("z"));
      int[] ids = model.greedyDecode(new double[][] {{z.get(0), z.get(1)}}, 12, SentenceTables.EOS, null)[0];
      assertEquals(SentenceTables.text(ids, run.words()), r.getString(r.fieldIndex("text")));
    }
    // Distinct seeds draw distinct z.
    assertTrue(!rows.get(0).getList(rows.get(0).fieldIndex("z")).equals(rows.get(2).getList(rows.get(2).fieldIndex("z"))));
    // Sampled decoding at a temperature is reproducible by its seed too.
    SampleVaeJob.Config hot = parse(new SampleVaeJob(), "--lake", lake.root().toString(), "--run-id", "vae-toy",
        "--samples", "3", "--temperature", "1.5", "--seed", "9").config();
    assertEquals(SampleVaeJob.run(spark, hot).texts(), SampleVaeJob.run(spark, hot).texts());
  }

  @Test
  void homotopyEndsAreTheDecodesOfTheTwoPosteriorMeans() {
    HomotopyJob.Config cfg = parse(new HomotopyJob(), "--lake", lake.root().toString(), "--run-id", "vae-toy",
        "--split", "test", "--pair", "0:5", "--text-pair", "w3 w7 w11|w9 w4 w8 w3", "--steps", "4").config();
    HomotopyJob.Result r = HomotopyJob.run(spark, cfg);
    assertEquals(2, r.texts().size());
    List<Row> rows = TableReader.read(spark, lake, LakeTables.HOMOTOPIES).where("run_id = 'vae-toy'")
        .orderBy("pair_id", "step").collectAsList();
    assertEquals(8, rows.size());
    assertEquals(0.0, rows.get(0).getDouble(rows.get(0).fieldIndex("alpha")));
    assertEquals(1.0 / 3, rows.get(1).getDouble(rows.get(1).fieldIndex("alpha")), 1e-12);
    assertEquals(1.0, rows.get(3).getDouble(rows.get(3).fieldIndex("alpha")));
    VaeRunEvaluation.LoadedRun run = loaded("vae-toy");
    SentenceVaeModel model = run.latest().model();
    List<SentenceTables.Sentence> test = SentenceTables.collectWithIds(spark, lake, "toy", "test", run.words());
    int[][] ends = {test.get(0).ids(), test.get(5).ids(), SentenceTables.parse("w3 w7 w11", run.words()),
        SentenceTables.parse("w9 w4 w8 w3", run.words())};
    double[][] mu = model.posteriorMeans(SentenceShard.batchOf(ends));
    int[][] decoded = model.greedyDecode(mu, 50, SentenceTables.EOS, null);
    assertEquals(SentenceTables.text(decoded[0], run.words()), r.texts().get(0).get(0));
    assertEquals(SentenceTables.text(decoded[1], run.words()), r.texts().get(0).get(3));
    assertEquals(SentenceTables.text(decoded[2], run.words()), r.texts().get(1).get(0));
    assertEquals(SentenceTables.text(decoded[3], run.words()), r.texts().get(1).get(3));
    HomotopyJob.Config missing = parse(new HomotopyJob(), "--lake", lake.root().toString(), "--run-id", "vae-toy",
        "--pair", "0:999").config();
    assertThrows(BadInputException.class, () -> HomotopyJob.run(spark, missing));
  }

  @Test
  void imputeScoresBothModelsOnTheSameSentencesIntoImputationsAndEvaluations() {
    ImputeJob.Config cfg = parse(new ImputeJob(), "--lake", lake.root().toString(), "--run-id", "vae-toy",
        "--baseline-run-id", "rnnlm-toy", "--split", "test", "--sentences", "12", "--batch", "5").config();
    Map<String, ImputeJob.RunResult> r = ImputeJob.run(spark, cfg);
    assertEquals(List.of("vae-toy", "rnnlm-toy"), List.copyOf(r.keySet()));
    assertEquals(r.get("vae-toy").sentIds(), r.get("rnnlm-toy").sentIds());
    assertEquals(12, r.get("vae-toy").fills().size());
    for (String runId : r.keySet()) {
      List<Row> rows = TableReader.read(spark, lake, LakeTables.IMPUTATIONS).where("run_id = '" + runId + "'")
          .orderBy("sent_id").collectAsList();
      assertEquals(12, rows.size());
      // Test sentence i (offset 2000) has 4 + i mod 4 words: 1 held out (4, 5, 6 words) or 1 (7 words: round(1.4)).
      for (Row row : rows) {
        long i = row.getLong(row.fieldIndex("sent_id"));
        int words = 4 + (int) ((2000 + i) % 4);
        assertEquals(Imputation.heldOut(words), row.getInt(row.fieldIndex("n_held_out")));
        assertEquals(words - Imputation.heldOut(words), row.getString(row.fieldIndex("prefix")).split(" ").length);
        assertTrue(row.getDouble(row.fieldIndex("held_out_loglik")) < 0);
        assertEquals("beam", row.getString(row.fieldIndex("decoding")), "the default decoding");
        assertEquals(10, row.getInt(row.fieldIndex("beam_size")));
      }
      long summary = TableReader.read(spark, lake, LakeTables.EVALUATIONS).where("run_id = '" + runId
          + "' and metric like 'impute_%' and split = 'test'").count();
      assertEquals(6, summary, runId);
    }
    System.out.println("impute summaries: vae " + r.get("vae-toy").summary() + ", rnnlm " + r.get("rnnlm-toy").summary());
  }
}
