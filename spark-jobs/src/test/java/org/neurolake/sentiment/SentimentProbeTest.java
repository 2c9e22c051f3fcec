package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurolake.eval.Metric;

/** The probe on tiny generated features in memory (no lake): local Spark runs the MLlib fits only. */
class SentimentProbeTest {
  /** The feature that carries the label. */
  static final int CARRIER = 4;
  /** A feature that carries it weakly (so the probe has more than one non-zero weight); the others are noise. */
  static final int WEAK = 1;
  static final int UNITS = 6;

  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("sentiment-probe-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * {@code n} examples, the first {@code positives} of every {@code period} labeled 1; feature
   * {@link #CARRIER} is +-1 by label plus noise of deviation {@code noise}, {@link #WEAK} +-0.5 plus
   * unit noise (both signs reversed when {@code flipped}), the others unit noise.
   */
  static LabeledFeatures features(int n, int positives, int period, double noise, boolean flipped, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] x = new float[n][UNITS];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % period < positives ? 1 : 0;
      for (int j = 0; j < UNITS; j++) {
        x[i][j] = (float) gaussian(rng);
      }
      int sign = (y[i] == 1 ? 1 : -1) * (flipped ? -1 : 1);
      x[i][CARRIER] = (float) (sign + noise * gaussian(rng));
      x[i][WEAK] = (float) (0.5 * sign + gaussian(rng));
    }
    return new LabeledFeatures(x, y);
  }

  static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }

  /** Reviews whose sentiment words carry the label. */
  static LabeledTexts texts(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    String[][] words = {{"bad", "awful", "dull"}, {"good", "great", "fun"}};
    String[] neutral = {"the", "film", "plot", "was", "and", "it"};
    List<byte[]> out = new ArrayList<>();
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 2;
      String text = neutral[rng.nextInt(neutral.length)] + " " + words[labels[i]][rng.nextInt(3)] + " "
          + neutral[rng.nextInt(neutral.length)];
      out.add(text.getBytes(StandardCharsets.UTF_8));
    }
    return new LabeledTexts(out, labels);
  }

  static List<String> names(List<Metric> metrics, String model) {
    return metrics.stream().filter(m -> m.model().equals(model)).map(m -> m.split() + " " + m.metric()).toList();
  }

  static double value(List<Metric> metrics, String model, String split, String metric) {
    return metrics.stream().filter(m -> m.model().equals(model) && m.split().equals(split)
        && m.metric().equals(metric)).mapToDouble(Metric::value).findFirst().orElseThrow();
  }

  @Test
  void findsTheUnitThatCarriesTheLabelAndReportsEveryFigure() {
    // A noisy carrier: it alone does not separate the classes, so the weak unit earns a weight too.
    BySplit<LabeledFeatures> data = new BySplit<>(features(48, 1, 2, 0.6, false, 1),
        features(24, 1, 2, 0.6, false, 2), features(24, 1, 2, 0.6, false, 3));
    BySplit<LabeledTexts> texts = new BySplit<>(texts(40, 4), texts(20, 5), texts(20, 6));
    List<Double> grid = List.of(1.0, 4.0, 16.0);
    List<String> progress = new ArrayList<>();
    SentimentProbeResult r = new SentimentProbe(grid, 2, 50, 2, 64)
        .apply(spark, "tiny", data, Optional.of(texts), progress::add);

    assertTrue(r.probe().probe().nonZeroWeights() >= 2, "a unit search, not the only weight: "
        + java.util.Arrays.toString(r.probe().probe().weights()));
    assertEquals(CARRIER, r.unit().unit(), "the unit that carries the label: " + r.unit());
    assertEquals(1, r.unit().threshold().sign(), "large values mean positive");
    assertTrue(r.unit().testAccuracy() >= 0.75, r.unit().toString());
    assertEquals(data.test().accuracy(r.unit().threshold(), CARRIER), r.unit().testAccuracy());
    assertTrue(r.probe().testAccuracy() >= 0.75, "probe test accuracy " + r.probe().testAccuracy());

    // C is the dev-best of the grid (the first on ties), and the probe reported is that C's.
    PenaltyChoice<LinearProbe> choice = r.probe().choice();
    double bestDev = choice.scores().stream().mapToDouble(PenaltyScore::devAccuracy).max().orElseThrow();
    assertEquals(bestDev, choice.chosen().devAccuracy());
    assertTrue(choice.scores().subList(0, choice.chosenIndex()).stream().allMatch(s -> s.devAccuracy() < bestDev));
    assertEquals(grid, choice.scores().stream().map(PenaltyScore::c).toList());
    for (int i = 0; i < grid.size(); i++) {
      assertEquals(data.dev().accuracy(choice.models().get(i)), choice.scores().get(i).devAccuracy());
    }
    assertEquals(data.test().accuracy(choice.chosenModel()), r.probe().testAccuracy());

    // The evaluations rows, in the names and order the job always wrote them.
    List<Metric> m = r.metrics();
    assertTrue(m.stream().allMatch(x -> x.dataset().equals("tiny")));
    assertEquals(List.of("dev accuracy", "test accuracy", "train nonzero_weights", "train c", "train reg_param",
        "train examples", "dev accuracy_c=2^0", "dev accuracy_c=2^2", "dev accuracy_c=2^4"),
        names(m, SentimentModels.PROBE));
    assertEquals(List.of("train unit", "train weight", "train threshold", "train accuracy", "dev accuracy",
        "test accuracy"), names(m, SentimentModels.UNIT));
    for (String baseline : List.of(SentimentModels.BOW, SentimentModels.NGRAM)) {
      assertEquals(List.of("dev accuracy_c=2^0", "dev accuracy_c=2^2", "dev accuracy_c=2^4", "dev accuracy",
          "test accuracy", "train nonzero_weights", "train c", "train hash_features"), names(m, baseline));
      assertEquals(64, value(m, baseline, "train", "hash_features"));
    }
    assertEquals(List.of(SentimentModels.PROBE, SentimentModels.UNIT, SentimentModels.BOW, SentimentModels.NGRAM),
        m.stream().map(Metric::model).distinct().toList());
    assertEquals(r.probe().c(), value(m, SentimentModels.PROBE, "train", "c"));
    assertEquals(1 / (r.probe().c() * 48), value(m, SentimentModels.PROBE, "train", "reg_param"), 1e-15);
    assertEquals(48, value(m, SentimentModels.PROBE, "train", "examples"));
    assertEquals(CARRIER, value(m, SentimentModels.UNIT, "train", "unit"));
    assertTrue(value(m, SentimentModels.BOW, "test", "accuracy") >= 0.9, m.toString());

    // Data efficiency: 8, 16, 32 with two seeds each, then all 48 once (the probe above).
    assertEquals(List.of("8/0", "8/1", "16/0", "16/1", "32/0", "32/1", "48/0"),
        r.dataEfficiency().stream().map(p -> p.examples() + "/" + p.seed()).toList());
    DataEfficiencyPoint all = r.dataEfficiency().get(6);
    assertEquals(r.probe().testAccuracy(), all.testAccuracy());
    assertEquals(choice.chosen().devAccuracy(), all.devAccuracy());
    assertEquals(List.of(8, 16, 32, 48), List.copyOf(r.dataEfficiencyCurve().keySet()));
    assertEquals(2, r.dataEfficiencyCurve().get(8).size());
    assertEquals(5, progress.size(), "one line for the probe, one per size: " + progress);

    assertEquals(CARRIER, r.unitHistogram().unit());
    assertArrayEquals(data.test().unit(CARRIER, 0), r.unitHistogram().negative());
    assertEquals(12, r.unitHistogram().positive().length);
  }

  @Test
  void choosesThePenaltyOnDevEvenWhenTestWouldPreferAnother() {
    // Dev reverses the carrier's sign: the fitted probe is wrong on every dev example, so dev picks
    // the tiny C whose probe is the constant majority guess (0.6), though on test the large C's
    // probe is right almost always.
    BySplit<LabeledFeatures> data = new BySplit<>(features(40, 3, 5, 0.3, false, 11),
        features(20, 3, 5, 0.3, true, 12), features(20, 3, 5, 0.3, false, 13));
    double tiny = Math.scalb(1.0, -20);
    double large = 16.0;
    SentimentProbeResult r = new SentimentProbe(List.of(tiny, large), 1, 50, 2, 64)
        .apply(spark, "tiny", data, Optional.empty(), line -> {});

    PenaltyChoice<LinearProbe> choice = r.probe().choice();
    LinearProbe largeProbe = choice.models().get(1);
    assertTrue(data.test().accuracy(largeProbe) >= 0.95, "on test the large C would win");
    assertTrue(choice.scores().get(1).devAccuracy() <= 0.1, choice.scores().toString());
    assertEquals(tiny, r.probe().c(), "C is chosen on dev");
    assertEquals(0, r.probe().probe().nonZeroWeights());
    assertEquals(0.6, r.probe().testAccuracy(), 1e-12, "the constant guess's test accuracy is reported");
    assertEquals(0.6, value(r.metrics(), SentimentModels.PROBE, "test", "accuracy"), 1e-12);
    assertEquals(tiny, value(r.metrics(), SentimentModels.PROBE, "train", "c"));

    // The chosen probe has no weight: the least penalized one names the unit.
    assertEquals(CARRIER, r.unit().unit());
    assertEquals(large, r.unit().probeC());
    assertEquals(largeProbe.weight(CARRIER), r.unit().weight());
    assertTrue(r.baselines().isEmpty());
    assertEquals(List.of(SentimentModels.PROBE, SentimentModels.UNIT),
        r.metrics().stream().map(Metric::model).distinct().toList());
  }
}
