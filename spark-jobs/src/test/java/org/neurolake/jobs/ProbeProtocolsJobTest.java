package org.neurolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.eval.Metric;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.text.Split;
import org.neurolake.sentiment.ProbeProtocol;
import org.neurolake.sentiment.SentimentModels;
import org.neurolake.sentiment.TransferScore;
import picocli.CommandLine;

/**
 * probe-sentiment's protocols on generated features written as extract-features writes them: a
 * one-split two-class task (k-fold, chosen automatically), a train source scored on another source
 * (held-out), and the shipped transfer query over what they wrote.
 */
class ProbeProtocolsJobTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Lake lake;

  @BeforeAll
  static void start() {
    lake = Lake.parse(dir.resolve("lake").toString());
    spark = JobRunner.session("probe-protocols-test",
        CatalogSettings.resolve(lake, null, null, false, "neurolake", Duration.ZERO));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** {@code n} documents of {@code source}/{@code split}: unit 2 is +-1 by label plus noise, 4 others noise. */
  static void writeFeatures(String source, Split split, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 3 == 0 ? 0 : 1;
      Float[] x = new Float[5];
      for (int j = 0; j < 5; j++) {
        x[j] = (float) (rng.nextDouble() * 2 - 1);
      }
      x[2] += label == 1 ? 1f : -1f;
      rows.add(RowFactory.create(String.format("%s:%05d", source, i), label, x));
    }
    new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(
        spark.createDataFrame(rows, LakeTables.DOCUMENT_FEATURES.dataSchema()), lake, LakeTables.DOCUMENT_FEATURES,
        ExtractFeaturesJob.partition("r", source, split));
  }

  static ProbeSentimentJob.Result probe(String... args) {
    ProbeSentimentJob job = new ProbeSentimentJob();
    List<String> all = new ArrayList<>(List.of("--lake", lake.root().toString(), "--run-id", "r",
        "--log2-c", "-6,-2,0", "--no-baselines"));
    all.addAll(List.of(args));
    new CommandLine(job).parseArgs(all.toArray(String[]::new));
    return ProbeSentimentJob.run(spark, job.config());
  }

  static double value(List<Metric> metrics, String model, String split, String metric) {
    return metrics.stream().filter(m -> m.model().equals(model) && m.split().equals(split)
        && m.metric().equals(metric)).mapToDouble(Metric::value).findFirst().orElseThrow(() ->
        new AssertionError("no " + model + " " + split + " " + metric + " in " + metrics));
  }

  @Test
  void aTaskWithoutSplitsIsCrossValidatedAndTheTransferQueryShowsIt() {
    writeFeatures("rt", Split.TRAIN, 150, 1);
    ProbeSentimentJob.Result kfold = probe("--source", "rt");
    assertEquals(ProbeProtocol.KFOLD, kfold.protocol(), "only a train split: k-fold");
    assertNull(kfold.unit());
    List<Metric> m = kfold.metrics();
    assertEquals(10, value(m, SentimentModels.PROBE, "10-fold", TransferScore.FOLDS));
    assertEquals(10, m.stream().filter(x -> x.model().equals(SentimentModels.PROBE)
        && x.metric().startsWith("accuracy_fold=")).count());
    double mean = value(m, SentimentModels.PROBE, "10-fold", TransferScore.MEAN);
    assertTrue(mean > 0.8, "the carrier unit separates the classes: " + mean);
    assertTrue(value(m, SentimentModels.UNIT, "10-fold", TransferScore.MEAN) > 0.8);

    writeFeatures("imdbtest", Split.TEST, 60, 2);
    ProbeSentimentJob.Result heldOut = probe("--source", "rt", "--test-source", "imdbtest");
    assertEquals(ProbeProtocol.HELD_OUT, heldOut.protocol());
    assertEquals(0, value(heldOut.metrics(), SentimentModels.PROBE, "held-out", TransferScore.STD));
    assertTrue(heldOut.metrics().stream().allMatch(x -> x.dataset().equals("imdbtest")), "scored on the test source");

    QueryJob q = new QueryJob();
    new CommandLine(q).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--lake", lake.root().toString(),
        "--name", "transfer", "--param", "run_id=r");
    List<Row> rows = QueryJob.run(spark, q.config()).collectAsList();
    assertEquals(2, rows.size(), rows.toString());
    Row rt = rows.get(1);
    assertEquals("rt", rt.getAs("task"));
    assertEquals("10-fold", rt.getAs("protocol"));
    assertEquals(String.format(java.util.Locale.ROOT, "%.1f ± %.1f", 100 * mean,
        100 * value(m, SentimentModels.PROBE, "10-fold", TransferScore.STD)), rt.getAs("mlstm_features"));
    assertNull(rt.getAs("bag_of_words"));
    assertEquals("held-out", rows.get(0).getAs("protocol"));
  }
}
