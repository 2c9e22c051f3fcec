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
import org.neurolake.sentiment.InnerCrossValidation;
import org.neurolake.sentiment.LabeledTexts;
import org.neurolake.sentiment.LiblinearProbes;
import org.neurolake.sentiment.PenaltyScore;
import org.neurolake.sentiment.PenaltySelector;
import org.neurolake.sentiment.ProbeProtocol;
import org.neurolake.sentiment.RegularizationGrid;
import org.neurolake.sentiment.SparseFeatures;
import org.neurolake.sentiment.StratifiedFolds;
import org.neurolake.sentiment.TextBaselines;
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
    writeFeatures("r", source, split, n, seed);
  }

  /** Document {@code i}'s label in the generated splits: one third negative. */
  static int label(int i) {
    return i % 3 == 0 ? 0 : 1;
  }

  static String docId(String source, Split split, int i) {
    return String.format("%s:%s:%05d", source, split.value(), i);
  }

  static void writeFeatures(String runId, String source, Split split, int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = label(i);
      Float[] x = new Float[5];
      for (int j = 0; j < 5; j++) {
        x[j] = (float) (rng.nextDouble() * 2 - 1);
      }
      x[2] += label == 1 ? 1f : -1f;
      rows.add(RowFactory.create(docId(source, split, i), label, x));
    }
    new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(
        spark.createDataFrame(rows, LakeTables.DOCUMENT_FEATURES.dataSchema()), lake, LakeTables.DOCUMENT_FEATURES,
        ExtractFeaturesJob.partition(runId, source, split));
  }

  static final String[][] CUES = {{"dull", "awful", "boring"}, {"superb", "moving", "great"}};
  static final String[] NEUTRAL = {"the", "film", "plot", "was", "and", "it", "a", "story"};

  /**
   * Review {@code i} of a split: 3-8 neutral words and two cue words, each of its label's class with
   * probability 0.8 (else the other class's), so a bag of words learns it but not perfectly.
   */
  static String review(SplittableRandom rng, int label) {
    List<String> words = new ArrayList<>();
    int n = 3 + rng.nextInt(6);
    for (int w = 0; w < n; w++) {
      words.add(NEUTRAL[rng.nextInt(NEUTRAL.length)]);
    }
    for (int c = 0; c < 2; c++) {
      int cls = rng.nextDouble() < 0.8 ? label : 1 - label;
      words.add(rng.nextInt(words.size() + 1), CUES[cls][rng.nextInt(3)]);
    }
    return String.join(" ", words);
  }

  /** The documents of {@code source}, split by split ({@code n} each, as {@link #writeFeatures}); the texts by split. */
  static java.util.Map<Split, List<byte[]>> writeDocuments(String source, java.util.Map<Split, Integer> n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    List<Row> rows = new ArrayList<>();
    java.util.Map<Split, List<byte[]>> texts = new java.util.EnumMap<>(Split.class);
    // In split order: Map.of's iteration order changes from JVM to JVM, and with it which split's
    // texts the generator draws first (a held-out accuracy here was 0.75 in some suite runs only).
    new java.util.EnumMap<>(n).forEach((split, count) -> {
      for (int i = 0; i < count; i++) {
        byte[] b = review(rng, label(i)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        texts.computeIfAbsent(split, k -> new ArrayList<>()).add(b);
        rows.add(RowFactory.create(docId(source, split, i), split.value(), b, b.length, null, label(i)));
      }
    });
    new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(
        spark.createDataFrame(rows, LakeTables.DOCUMENTS.dataSchema()), lake, LakeTables.DOCUMENTS,
        org.neurolake.pipelines.table.PartitionKey.of(LakeTables.DOCUMENTS, source));
    return texts;
  }

  static ProbeSentimentJob.Result probe(String... args) {
    List<String> all = new ArrayList<>(List.of("--run-id", "r", "--log2-c", "-6,-2,0", "--no-baselines"));
    all.addAll(List.of(args));
    return run(all.toArray(String[]::new));
  }

  static ProbeSentimentJob.Result run(String... args) {
    ProbeSentimentJob job = new ProbeSentimentJob();
    List<String> all = new ArrayList<>(List.of("--lake", lake.root().toString()));
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

  static final String BASELINE_GRID = "-6,-4,-2,0,2";

  @Test
  void theBaselinesAreCrossValidatedOnTheProbesFoldsWithCChosenInside() {
    writeFeatures("rb", "pn", Split.TRAIN, 150, 3);
    List<byte[]> texts = writeDocuments("pn", java.util.Map.of(Split.TRAIN, 150), 4).get(Split.TRAIN);
    ProbeSentimentJob.Result kfold = run("--run-id", "rb", "--source", "pn", "--log2-c", BASELINE_GRID,
        "--hash-features", "1024");
    assertEquals(ProbeProtocol.KFOLD, kfold.protocol());
    List<Metric> m = kfold.metrics();
    int[] labels = java.util.stream.IntStream.range(0, 150).map(ProbeProtocolsJobTest::label).toArray();
    StratifiedFolds folds = StratifiedFolds.assign(labels, 10, 1);
    List<Double> grid = RegularizationGrid.grid(List.of(-6, -4, -2, 0, 2));
    TextBaselines featurizers = new TextBaselines(grid, 100, 1024, 1);
    for (String model : List.of(SentimentModels.BOW, SentimentModels.NGRAM)) {
      assertEquals(10, value(m, model, "10-fold", TransferScore.FOLDS), model);
      double mean = value(m, model, "10-fold", TransferScore.MEAN);
      // Chance is the majority class's 2/3; the cue words carry the label 80% of the time each.
      assertTrue(mean > 0.8, model + " learns the cue words: " + mean);
      assertTrue(value(m, model, "10-fold", TransferScore.STD) > 0, model);
      // The same folds as the probe, C chosen by inner cross-validation on each training part alone:
      // recomputed here from the documents in doc-id order, the folds of their labels and cv seed 1.
      SparseFeatures x = featurizers.featurize(spark, model, new LabeledTexts(texts, labels));
      double accuracySum = 0;
      for (int f = 0; f < 10; f++) {
        PenaltyScore inside = PenaltySelector.best(new InnerCrossValidation(3, 1, new LiblinearProbes(1))
            .scores(x.subset(folds.train(f)), grid));
        assertEquals(inside.c(), value(m, model, "10-fold", "c_fold=" + f), model + " fold " + f);
        accuracySum += value(m, model, "10-fold", "accuracy_fold=" + f);
      }
      assertEquals(mean, accuracySum / 10, 1e-12, model);
    }
    assertTrue(value(m, SentimentModels.UNIT, "10-fold", TransferScore.MEAN) > 0.8, "the unit column under k-fold");

    // Held out within the source (train and test splits), then across sources.
    writeFeatures("rb", "tt", Split.TRAIN, 90, 5);
    writeFeatures("rb", "tt", Split.TEST, 60, 6);
    writeDocuments("tt", java.util.Map.of(Split.TRAIN, 90, Split.TEST, 60), 7);
    writeFeatures("rb", "other", Split.TEST, 60, 8);
    writeDocuments("other", java.util.Map.of(Split.TEST, 60), 9);
    for (ProbeSentimentJob.Result heldOut : List.of(
        run("--run-id", "rb", "--source", "tt", "--log2-c", BASELINE_GRID, "--hash-features", "1024"),
        run("--run-id", "rb", "--source", "pn", "--test-source", "other", "--log2-c", BASELINE_GRID,
            "--hash-features", "1024"))) {
      assertEquals(ProbeProtocol.HELD_OUT, heldOut.protocol());
      for (String model : List.of(SentimentModels.BOW, SentimentModels.NGRAM)) {
        assertEquals(1, value(heldOut.metrics(), model, "held-out", TransferScore.FOLDS));
        assertTrue(value(heldOut.metrics(), model, "held-out", TransferScore.MEAN) > 0.75, heldOut.metrics()
            .toString());
        value(heldOut.metrics(), model, "held-out", "c_fold=0");
      }
    }

    QueryJob q = new QueryJob();
    new CommandLine(q).setCaseInsensitiveEnumValuesAllowed(true).parseArgs("--lake", lake.root().toString(),
        "--name", "transfer", "--param", "run_id=rb");
    List<Row> rows = QueryJob.run(spark, q.config()).collectAsList();
    assertEquals(List.of("other", "pn", "tt"), rows.stream().map(r -> (String) r.getAs("task")).toList());
    for (Row r : rows) {
      for (String column : List.of("mlstm_features", "sentiment_unit", "bag_of_words", "byte_ngrams")) {
        assertTrue(r.getAs(column) != null, column + " of " + r);
      }
    }
    assertEquals(String.format(java.util.Locale.ROOT, "%.1f ± %.1f",
        100 * value(m, SentimentModels.BOW, "10-fold", TransferScore.MEAN),
        100 * value(m, SentimentModels.BOW, "10-fold", TransferScore.STD)), rows.get(1).getAs("bag_of_words"));
  }
}
