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
import java.nio.file.Files;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.family.ModelFamilies;
import org.neurolake.family.TrainedModel;
import org.neurolake.jobs.EvaluateLmJob;
import org.neurolake.jobs.SampleLmJob;
import org.neurolake.model.api.Batch;
import org.neurolake.model.lm.LstmLmModel;
import org.neurolake.jobs.TrainJob;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.pipelines.lm.SpecialTokens;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableDef;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.RunRecord;
import org.neurolake.train.TrainingRun;

/**
 * {@code train --family lstm-lm --dataset toy/v12 --config conf/train/lstm-lm-ptb.properties} in
 * tiny rounds, on generated token tables (a vocabulary of 12 words; streams where each word is
 * followed by a fixed successor 6 times in 7): the run learns, and its valid perplexity, streamed
 * with carried state, ends far below the vocabulary size.
 */
class LstmLmEndToEndTest {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = TrainingSessions.start("local[2]", "lstm-lm-e2e", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static void write(Lake lake, TableDef table, List<Row> rows, String... partition) {
    spark.createDataFrame(rows, table.dataSchema()).coalesce(1).write()
        .parquet(lake.partitionPath(table, PartitionKey.of(table, partition)).toString());
  }

  /**
   * Word w is followed by (w + 5) mod 12 (one cycle through all 12 words, so unigram and copying
   * models stay near perplexity 12), except every 7th position, which repeats w.
   */
  private static int[] stream(int first, int length) {
    int[] ids = new int[length];
    ids[0] = first;
    for (int i = 1; i < length; i++) {
      ids[i] = i % 7 == 0 ? ids[i - 1] : (ids[i - 1] + 5) % 12;
    }
    return ids;
  }

  private static List<Row> chunks(int streams, int length, int chunk) {
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      int[] ids = stream(s % 12, length);
      for (int c = 0; c * chunk < length; c++) {
        List<Integer> part = new ArrayList<>();
        for (int i = c * chunk; i < Math.min(length, (c + 1) * chunk); i++) {
          part.add(ids[i]);
        }
        rows.add(RowFactory.create(s, c, part.toArray(new Integer[0])));
      }
    }
    return rows;
  }

  @Test
  void trainsOnTokenStreamsAndStreamsTheValidPerplexity() throws Exception {
    assertTrue(ModelFamilies.installed().names().contains("lstm-lm"), ModelFamilies.installed().names().toString());
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    List<Row> vocab = new ArrayList<>();
    for (int id = 0; id < 12; id++) {
      vocab.add(RowFactory.create(id < SpecialTokens.ALL.size() ? SpecialTokens.ALL.get(id) : "w" + id, id, 10L));
    }
    write(lake, LakeTables.VOCAB, vocab, "toy", "v12");
    write(lake, LakeTables.TOKEN_STREAMS, chunks(8, 400, 64), "toy", "v12", "train");
    write(lake, LakeTables.TOKEN_STREAMS, chunks(1, 300, 64), "toy", "v12", "valid");

    TrainJob.Config cfg = Jobs.parse(new TrainJob(), "--lake", lake.root().toString(), "--family", "lstm-lm",
        "--dataset", "toy/v12", "--config", TestData.projectRoot().resolve("conf/train/lstm-lm-ptb.properties")
            .toString(), "--set", "run-id=lm-toy", "--set", "workers=2", "--set", "rounds=6", "--set", "local-steps=8",
        "--set", "batch-size=4", "--set", "model.optimizer=ADAM", "--set", "learning-rate=0.02",
        "--set", "lr-schedule=constant", "--set", "eval-every=3",
        "--set", "checkpoint-every=3",
        "--set", "time-budget-s=0", "--set", "model.embeddingSize=8", "--set", "model.hiddenSize=16",
        "--set", "model.layers=1", "--set", "model.unrollLength=10").config();
    TrainingRun.Result run = TrainJob.run(spark, cfg);
    Map<String, Double> valid = run.metrics("valid");
    assertEquals(299.0, valid.get("tokens"), "300 ids read as one stream: 299 predictions");
    System.out.println("lstm-lm e2e: valid " + valid);
    assertTrue(valid.get("perplexity") < 4, "uniform is 12; the successor is nearly deterministic: " + valid);

    RunRecord record = RunRecord.read(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(dir.resolve("lake/checkpoints/lm-toy").toUri()));
    assertEquals("lstm-lm", record.family());
    LstmLmSpec spec = assertInstanceOf(LstmLmSpec.class, record.spec());
    assertEquals(12, spec.vocabSize());
    assertEquals(4, spec.batchStreams());

    evaluateLmScoresTheSplitAsOneStreamNextToKn5(lake, valid);
    sampleLmIsDeterminedByTheSeed(lake);
  }

  /**
   * evaluate-lm on valid (one stream) and test (one 250-word text cut into 3 streams of several
   * chunks): valid as the run's own final evaluation; test exactly LstmLmModel's own full-softmax
   * score of the 250 words in one row and one pass; rows beside a KN5 row in evaluations, and the
   * shipped lm_vs_kn5 query puts them side by side.
   */
  private static void evaluateLmScoresTheSplitAsOneStreamNextToKn5(Lake lake, Map<String, Double> trainedValid)
      throws Exception {
    int[] text = stream(3, 250);
    int[][] pieces = {java.util.Arrays.copyOfRange(text, 0, 90), java.util.Arrays.copyOfRange(text, 90, 170),
        java.util.Arrays.copyOfRange(text, 170, 250)};
    List<Row> testRows = new ArrayList<>();
    for (int s = 0; s < pieces.length; s++) {
      for (int c = 0; c * 32 < pieces[s].length; c++) {
        int[] part = java.util.Arrays.copyOfRange(pieces[s], c * 32, Math.min(pieces[s].length, (c + 1) * 32));
        testRows.add(RowFactory.create(s, c, java.util.Arrays.stream(part).boxed().toArray(Integer[]::new)));
      }
    }
    java.util.Collections.reverse(testRows); // stored out of order: the job must sort
    write(lake, LakeTables.TOKEN_STREAMS, testRows, "toy", "v12", "test");
    EvaluationsTable.append(spark, lake, "toy-kn5", null, List.of(new Metric("kn5", "toy", "test", "ppl", 6.0)));

    EvaluateLmJob.Config cfg = Jobs.parse(new EvaluateLmJob(), "--lake", lake.root().toString(), "--run-id", "lm-toy",
        "--window", "7").config();
    Map<String, Double> metrics = new java.util.HashMap<>();
    for (Metric m : EvaluateLmJob.run(spark, cfg)) {
      assertEquals("lstm-lm", m.model());
      assertEquals("toy", m.dataset());
      metrics.put(m.split() + "/" + m.metric(), m.value());
    }
    assertEquals(299.0, metrics.get("valid/tokens"));
    assertEquals(trainedValid.get("perplexity"), metrics.get("valid/ppl"), 1e-4 * trainedValid.get("perplexity"));

    TrainedModel<LstmLmSpec> trained = TrainedModel.load(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(dir.resolve("lake/checkpoints/lm-toy").toUri()), LstmLmSpec.class);
    LstmLmModel model = trained.spec().build();
    model.setParameters(trained.parameters());
    float[] x = new float[249];
    float[] y = new float[249];
    for (int i = 0; i < 249; i++) {
      x[i] = text[i];
      y[i] = text[i + 1];
    }
    Map<String, Double> onePass = model.score(new Batch(Nd4j.create(x, new long[] {1, 249}, 'c'),
        Nd4j.create(y, new long[] {1, 249}, 'c')));
    assertEquals(249.0, metrics.get("test/tokens"));
    assertEquals(onePass.get("log_likelihood"), metrics.get("test/log_prob"), 1e-3);
    assertEquals(onePass.get("perplexity"), metrics.get("test/ppl"), 1e-4 * onePass.get("perplexity"));

    TableReader.read(spark, lake, LakeTables.EVALUATIONS).createOrReplaceTempView("evaluations");
    String sql = Files.readString(TestData.projectRoot().resolve("conf/queries/lm_vs_kn5.sql"));
    List<Row> rows = spark.sql(sql).where("split = 'test'").collectAsList();
    assertEquals(2, rows.size(), rows.toString());
    Row lm = rows.stream().filter(r -> r.getString(2).equals("lstm-lm")).findFirst().orElseThrow();
    assertEquals("lm-toy", lm.getString(3));
    assertEquals(6.0, lm.getDouble(5));
    assertEquals(metrics.get("test/ppl") / 6.0, lm.getDouble(6), 1e-4);
  }

  /** sample-lm twice with one seed gives the same sentences, another seed others; all land in samples. */
  private static void sampleLmIsDeterminedByTheSeed(Lake lake) {
    String[] args = {"--lake", lake.root().toString(), "--run-id", "lm-toy", "--samples", "2", "--max-length", "20",
        "--prefix", "w3 w8"};
    List<String> a = SampleLmJob.run(spark, Jobs.parse(new SampleLmJob(), args).config()).texts();
    List<String> b = SampleLmJob.run(spark, Jobs.parse(new SampleLmJob(), args).config()).texts();
    String[] other = java.util.Arrays.copyOf(args, args.length + 2);
    other[args.length] = "--seed";
    other[args.length + 1] = "5";
    List<String> c = SampleLmJob.run(spark, Jobs.parse(new SampleLmJob(), other).config()).texts();
    System.out.println("lstm-lm e2e samples: " + a + " / seed 5: " + c);
    assertEquals(2, a.size());
    assertEquals(a, b);
    assertTrue(!a.equals(c), "seeds 1,2 and 5,6 drew the same samples: " + a);
    assertTrue(a.get(0).matches("\\S+( \\S+)*"), a.get(0));
    // Greedy: the word the trained model scores highest after <eos> w11 w4 (the prefix read through the vocabulary).
    String[] greedy = {"--lake", lake.root().toString(), "--run-id", "lm-toy", "--max-length", "1", "--temperature",
        "0", "--prefix", "w11 w4"};
    TrainedModel<LstmLmSpec> trained = TrainedModel.load(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(dir.resolve("lake/checkpoints/lm-toy").toUri()), LstmLmSpec.class);
    LstmLmModel model = trained.spec().build();
    model.setParameters(trained.parameters());
    int best = -1;
    double bestLl = Double.NEGATIVE_INFINITY;
    for (int w = 0; w < 12; w++) {
      model.resetState();
      double ll = model.score(new Batch(Nd4j.create(new float[] {1, 11, 4}, new long[] {1, 3}, 'c'),
          Nd4j.create(new float[] {11, 4, w}, new long[] {1, 3}, 'c'))).get("log_likelihood");
      if (ll > bestLl) {
        bestLl = ll;
        best = w;
      }
    }
    String expected = best < SpecialTokens.ALL.size() ? SpecialTokens.ALL.get(best) : "w" + best;
    assertEquals(List.of(expected), SampleLmJob.run(spark, Jobs.parse(new SampleLmJob(), greedy).config()).texts());
    List<Row> stored = TableReader.read(spark, lake, LakeTables.SAMPLES).where("run_id = 'lm-toy'").collectAsList();
    assertEquals(7, stored.size());
    assertEquals(6, stored.stream().filter(r -> "w3 w8".equals(r.getAs("primer"))).count());
  }
}
