package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurolake.report.PlotImages;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.CutSequencesJob;
import org.neurolake.jobs.ExtractFeaturesJob;
import org.neurolake.jobs.GenerateJob;
import org.neurolake.jobs.IngestTextJob;
import org.neurolake.jobs.ProbeSentimentJob;
import org.neurolake.jobs.TrainMlstmJob;
import org.neurolake.sentiment.ProbeProtocol;
import org.neurolake.sentiment.TransferScore;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.Split;
import org.neurolake.sentiment.SentimentModels;
import org.neurolake.train.TrainingRun;

/**
 * The sentiment-neuron pipeline on tiny generated review-like corpora (never the real data):
 * ingest an IMDB-like and an Amazon-like JSON-lines corpus and an SST-like CSV → cut-sequences →
 * train-mlstm a few rounds (split into two invocations by a resume) → extract-features on the
 * SST-like source (resumable) → probe-sentiment (probe, sentiment unit, data efficiency,
 * baselines) → generate (clamping the sentiment unit).
 */
class SentimentEndToEndTest {
  static SparkSession spark;
  @TempDir static Path dir;

  static final String[] POSITIVE = {"great", "wonderful", "loved", "excellent", "superb", "delightful", "best"};
  static final String[] NEGATIVE = {"awful", "terrible", "hated", "boring", "worst", "dreadful", "poor"};
  static final String[] NEUTRAL = {"the", "movie", "plot", "actors", "film", "story", "was", "and", "it", "a",
      "this", "book", "ending", "music"};

  @BeforeAll
  static void start() {
    spark = TrainingSessions.start("local[3]", "sentiment-e2e", Map.of("spark.sql.shuffle.partitions", "4"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /** A review of 6-14 words, a few of them carrying its label's sentiment. */
  static String review(SplittableRandom rng, int label) {
    String[] sentiment = label == 1 ? POSITIVE : NEGATIVE;
    int words = 6 + rng.nextInt(9);
    List<String> out = new ArrayList<>();
    for (int w = 0; w < words; w++) {
      out.add(rng.nextInt(3) == 0 ? sentiment[rng.nextInt(sentiment.length)] : NEUTRAL[rng.nextInt(NEUTRAL.length)]);
    }
    return String.join(" ", out) + ".";
  }

  static Path jsonl(String name, int n, long seed, boolean withSplit, String textField) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int label = i % 2;
      String split = withSplit ? (i % 10 < 8 ? "train" : "test") : null;
      lines.add("{" + (split == null ? "" : "\"split\": \"" + split + "\", ") + "\"id\": " + i + ", \"rating\": "
          + (label == 1 ? 9 : 2) + ", \"label\": " + label + ", \"" + textField + "\": \"" + review(rng, label) + "\"}");
    }
    Path p = dir.resolve(name);
    Files.write(p, lines, StandardCharsets.UTF_8);
    return p;
  }

  static Path sst(String name, int n, long seed) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> lines = new ArrayList<>(List.of("label,sentence"));
    for (int i = 0; i < n; i++) {
      int label = (i / 2 + i) % 2; // both classes, not in a strict alternation
      // The review's last word gives its label away: a learnable label even for a barely trained
      // model's final cell state, which the probe reads.
      lines.add(label + "," + review(rng, label) + " in short " + (label == 1 ? "great" : "awful") + ".");
    }
    Path p = dir.resolve(name);
    Files.write(p, lines, StandardCharsets.UTF_8);
    return p;
  }

  private String[] train(String lake, String... more) {
    List<String> args = new ArrayList<>(List.of("--lake", lake, "--sources", "imdb,amazon",
        "--config", TestData.projectRoot().resolve("conf/train/mlstm-tiny.properties").toString(),
        "--set", "run-id=tiny-mlstm", "--set", "rounds=6", "--set", "learning-rate=0.02"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void ingestsTrainsResumesExtractsProbesAndGenerates() throws Exception {
    String lake = dir.resolve("lake").toString();
    Lake l = Lake.parse(lake);
    IngestTextJob.run(spark, Jobs.parse(new IngestTextJob(), "--lake", lake, "--source", "imdb", "--preset", "imdb",
        "--input", jsonl("imdb.jsonl", 120, 1, true, "text").toString()).config());
    IngestTextJob.run(spark, Jobs.parse(new IngestTextJob(), "--lake", lake, "--source", "amazon", "--preset",
        "amazon", "--hash-split", "0.7,0.15", "--input", jsonl("amazon.jsonl", 60, 2, false, "review_text").toString())
        .config());
    IngestTextJob.run(spark, Jobs.parse(new IngestTextJob(), "--lake", lake, "--source", "sst2", "--preset", "sst2",
        "--input", "train=" + sst("train.csv", 80, 3), "--input", "dev=" + sst("dev.csv", 30, 4),
        "--input", "test=" + sst("test.csv", 30, 5)).config());
    for (String source : List.of("imdb", "amazon")) {
      CutSequencesJob.run(spark, Jobs.parse(new CutSequencesJob(), "--lake", lake, "--source", source,
          "--length", "24").config());
    }

    IllegalArgumentException sst = assertThrows(IllegalArgumentException.class, () -> Jobs.parse(new TrainMlstmJob(),
        "--lake", lake, "--sources", "imdb,sst2").config());
    assertTrue(sst.getMessage().contains("sst2"), sst.getMessage());

    TrainMlstmJob.run(spark, Jobs.parse(new TrainMlstmJob(), train(lake, "--stop-after-round", "3")).config());
    TrainingRun.Result r = TrainMlstmJob.run(spark, Jobs.parse(new TrainMlstmJob(), train(lake, "--resume")).config());
    assertEquals(6, r.state().nextRound());
    assertEquals(3, r.rounds().size(), "the resumed run ran rounds 3..5 only");
    double bpb = r.metrics(SentimentModels.HELD_OUT).get("bits_per_byte");
    assertTrue(bpb > 0 && bpb < 8, "held-out bits per byte " + bpb + " below the uniform 8");

    List<Row> rounds = TableReader.read(spark, l, LakeTables.TRAIN_ROUNDS)
        .where("run_id = 'tiny-mlstm' AND accepted").groupBy("round").avg("loss").orderBy("round").collectAsList();
    assertEquals(6, rounds.size());
    double first = rounds.get(0).getDouble(1);
    double last = rounds.get(5).getDouble(1);
    assertTrue(last < first, "training loss decreases: round 0 " + first + ", round 5 " + last);
    List<Row> heldOut = TableReader.read(spark, l, LakeTables.EVALUATIONS)
        .where("model = 'mlstm' AND run_id = 'tiny-mlstm' AND split = 'heldout' AND metric = 'bits_per_byte'")
        .orderBy("round").select("round", "value").collectAsList();
    assertEquals(List.of(3, 6), heldOut.stream().map(x -> x.getInt(0)).toList(), "evaluated every 3 rounds");

    ExtractFeaturesJob.Result f = ExtractFeaturesJob.run(spark, Jobs.parse(new ExtractFeaturesJob(), "--lake", lake,
        "--run-id", "tiny-mlstm", "--source", "sst2", "--splits", "train,dev").config());
    assertEquals(Map.of(Split.TRAIN, 80L, Split.DEV, 30L), f.documents());
    ExtractFeaturesJob.Result again = ExtractFeaturesJob.run(spark, Jobs.parse(new ExtractFeaturesJob(), "--lake",
        lake, "--run-id", "tiny-mlstm", "--source", "sst2").config());
    assertEquals(Map.of(Split.TRAIN, -1L, Split.DEV, -1L, Split.TEST, 30L), again.documents(),
        "committed splits are skipped, the missing one computed");
    List<Row> features = TableReader.read(spark, l, LakeTables.DOCUMENT_FEATURES)
        .where("run_id = 'tiny-mlstm' AND source = 'sst2'").collectAsList();
    assertEquals(140, features.size());
    assertEquals(Set.of("train", "dev", "test"),
        features.stream().map(x -> x.getString(x.fieldIndex("split"))).collect(Collectors.toSet()));
    for (Row x : features) {
      assertEquals(32, x.getList(x.fieldIndex("cell_state")).size());
      assertTrue(x.<Float>getList(x.fieldIndex("cell_state")).stream().allMatch(v -> Float.isFinite(v)));
    }

    ProbeSentimentJob.Result p = ProbeSentimentJob.run(spark, Jobs.parse(new ProbeSentimentJob(), "--lake", lake,
        "--run-id", "tiny-mlstm", "--source", "sst2", "--seeds", "2", "--max-iter", "20", "--log2-c", "-2,0",
        "--hash-features", "4096").config());
    for (String model : List.of(SentimentModels.PROBE, SentimentModels.UNIT, SentimentModels.BOW,
        SentimentModels.NGRAM)) {
      for (String split : List.of("dev", "test")) {
        double acc = p.get(model, split, "accuracy");
        assertTrue(acc >= 0 && acc <= 1, model + " " + split + " accuracy " + acc);
      }
    }
    // The SST-like reviews end on their label's word, so even this barely trained model's final cell
    // state carries the label: the probe must find it (measured 1.0 on dev and test; chance is 0.5).
    for (String split : List.of("dev", "test")) {
      assertTrue(p.get(SentimentModels.PROBE, split, "accuracy") >= 0.8, "probe " + split + " accuracy "
          + p.get(SentimentModels.PROBE, split, "accuracy") + " (chance 0.5): " + p.metrics());
    }
    // The words carry the label: a bag of words must find it.
    assertTrue(p.get(SentimentModels.BOW, "test", "accuracy") > 0.7, p.metrics().toString());
    double nnz = p.get(SentimentModels.PROBE, "train", "nonzero_weights");
    assertTrue(nnz >= 1 && nnz <= 32, "non-zero weights " + nnz);
    assertEquals(p.unit().unit(), (int) p.get(SentimentModels.UNIT, "train", "unit"));
    assertTrue(p.unit().unit() >= 0 && p.unit().unit() < 32);
    List<Row> eff = TableReader.read(spark, l, LakeTables.DATA_EFFICIENCY)
        .where("model = 'mlstm-probe' AND run_id = 'tiny-mlstm' AND split = 'test'").collectAsList();
    // sizes 8, 16, 32, 64 with 2 seeds each, and all 80 once
    assertEquals(9, eff.size());
    assertEquals(Set.of(8, 16, 32, 64, 80), eff.stream().map(x -> x.getInt(x.fieldIndex("n_examples")))
        .collect(Collectors.toSet()));
    assertTrue(eff.stream().allMatch(x -> x.getDouble(x.fieldIndex("accuracy")) >= 0
        && x.getDouble(x.fieldIndex("accuracy")) <= 1));
    assertEquals(Set.of("mlstm-probe", "mlstm-unit", "bow-baseline", "ngram-baseline"),
        TableReader.read(spark, l, LakeTables.EVALUATIONS).where("run_id = 'tiny-mlstm' AND split = 'test'")
            .select("model").distinct().collectAsList().stream().map(x -> x.getString(0)).collect(Collectors.toSet()));
    assertTrue(!p.plots().isEmpty(), "plots written");
    for (org.apache.hadoop.fs.Path png : p.plots()) {
      assertTrue(PlotImages.assertPlotted(png, 0).getWidth() > 100, png.toString());
    }

    GenerateJob.Result g = GenerateJob.run(spark, Jobs.parse(new GenerateJob(), "--lake", lake, "--run-id",
        "tiny-mlstm", "--primer", "this movie", "--length", "40", "--temperature", "0.8", "--seed", "7",
        "--samples", "2", "--clamp-unit", "sentiment", "--clamp-value", "1.0").config());
    assertEquals(p.unit().unit(), g.clampUnit());
    assertEquals(2, g.texts().size());
    List<Row> samples = TableReader.read(spark, l, LakeTables.SAMPLES).where("run_id = 'tiny-mlstm'").collectAsList();
    assertEquals(2, samples.size());
    for (Row s : samples) {
      assertEquals("this movie", s.getString(s.fieldIndex("primer")));
      assertEquals(p.unit().unit(), s.getInt(s.fieldIndex("clamp_unit")));
      assertTrue(s.getString(s.fieldIndex("text")).getBytes(StandardCharsets.UTF_8).length >= 1);
    }
    GenerateJob.Result greedy = GenerateJob.run(spark, Jobs.parse(new GenerateJob(), "--lake", lake, "--run-id",
        "tiny-mlstm", "--primer", "the", "--length", "20", "--temperature", "0").config());
    assertEquals(-1, greedy.clampUnit());
    assertEquals(3, TableReader.read(spark, l, LakeTables.SAMPLES).where("run_id = 'tiny-mlstm'").count());

    // A generated two-file task (one file per class, Latin-1 with bytes invalid in UTF-8, no official
    // split): per-input labels, the run's features, 10-fold cross-validation with C chosen inside.
    IngestTextJob.run(spark, Jobs.parse(new IngestTextJob(), "--lake", lake, "--source", "rtlike", "--preset",
        "plain", "--charset", "ISO-8859-1", "--input", "label=1,split=train:" + perClass("rt-pos.txt", 1, 30, 8),
        "--input", "label=0,split=train:" + perClass("rt-neg.txt", 0, 30, 9)).config());
    ExtractFeaturesJob.run(spark, Jobs.parse(new ExtractFeaturesJob(), "--lake", lake, "--run-id", "tiny-mlstm",
        "--source", "rtlike", "--splits", "train").config());
    ProbeSentimentJob.Result cv = ProbeSentimentJob.run(spark, Jobs.parse(new ProbeSentimentJob(), "--lake", lake,
        "--run-id", "tiny-mlstm", "--source", "rtlike", "--log2-c", "-2,0", "--hash-features", "4096").config());
    assertEquals(ProbeProtocol.KFOLD, cv.protocol(), "no dev or test split: k-fold");
    assertEquals(10, cv.get(SentimentModels.PROBE, "10-fold", TransferScore.FOLDS));
    double cvAccuracy = cv.get(SentimentModels.PROBE, "10-fold", TransferScore.MEAN);
    assertTrue(cvAccuracy >= 0.7, "10-fold accuracy " + cvAccuracy + " (chance 0.5): " + cv.metrics());
    // The baselines on the same folds: each line's last words give its class away.
    for (String model : List.of(SentimentModels.BOW, SentimentModels.NGRAM)) {
      assertEquals(10, cv.get(model, "10-fold", TransferScore.FOLDS), model);
      assertTrue(cv.get(model, "10-fold", TransferScore.MEAN) >= 0.7, model + " " + cv.metrics());
    }
  }

  /** {@code n} reviews of one class in ISO-8859-1, each ending on its label's (accented) words. */
  static Path perClass(String name, int label, int n, long seed) throws IOException {
    SplittableRandom rng = new SplittableRandom(seed);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      lines.add(review(rng, label) + " en bref " + (label == 1 ? "tr\u00e8s r\u00e9ussi" : "\u00e0 \u00e9viter") + ".");
    }
    Path p = dir.resolve(name);
    Files.write(p, lines, StandardCharsets.ISO_8859_1);
    return p;
  }
}
