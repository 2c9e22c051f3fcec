package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The in-process LIBLINEAR probe against the MLlib one on the same problem and folds. */
class LiblinearProbesTest {
  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("liblinear-probe-test")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void agreesWithMllibWithinHalfAPointOnTheSameFolds() {
    // A noisy task (accuracy well below 1) so that a different model would show in the accuracy.
    LabeledFeatures all = SentimentProbeTest.features(600, 2, 5, 1.5, false, 31);
    List<Double> grid = List.of(Math.scalb(1.0, -6), Math.scalb(1.0, -3), 1.0);
    StratifiedFolds folds = StratifiedFolds.assign(all.labels(), 3, 9);
    ProbeSolver liblinear = new LiblinearProbes(2);
    ProbeSolver mllib = new MllibProbes(spark, 200, 2);
    for (int g = 0; g < grid.size(); g++) {
      int right = 0;
      int rightMllib = 0;
      for (int f = 0; f < folds.folds(); f++) {
        LabeledFeatures train = all.subset(folds.train(f));
        LabeledFeatures test = all.subset(folds.test(f));
        LinearProbe a = liblinear.fit(train, List.of(grid.get(g))).get(0);
        LinearProbe b = mllib.fit(train, List.of(grid.get(g))).get(0);
        right += Math.round(test.accuracy(a) * test.size());
        rightMllib += Math.round(test.accuracy(b) * test.size());
        if (f == 0) {
          // The same objective: the same weights (so the bias is unpenalized and the sign right in both).
          for (int j = 0; j < SentimentProbeTest.UNITS; j++) {
            assertEquals(b.weight(j), a.weight(j), 0.02 + 0.02 * Math.abs(b.weight(j)),
                "C=" + grid.get(g) + " weight " + j + ": " + java.util.Arrays.toString(a.weights()) + " vs "
                    + java.util.Arrays.toString(b.weights()));
          }
          assertEquals(b.intercept(), a.intercept(), 0.02 + 0.02 * Math.abs(b.intercept()), "intercept");
        }
      }
      double accuracy = (double) right / all.size();
      double accuracyMllib = (double) rightMllib / all.size();
      assertTrue(Math.abs(accuracy - accuracyMllib) <= 0.005, "C=" + grid.get(g) + ": liblinear " + accuracy
          + " vs mllib " + accuracyMllib);
      assertTrue(accuracy > 0.6, "the probe learns: " + accuracy);
    }
  }

  @Test
  void theFixedSplitProbeGivesTheSameFiguresInProcessAsWithMllib() {
    // SentimentProbeTest's SST-like data (train/dev/test), probe, unit and curve with both solvers.
    BySplit<LabeledFeatures> data = new BySplit<>(SentimentProbeTest.features(48, 1, 2, 0.6, false, 1),
        SentimentProbeTest.features(24, 1, 2, 0.6, false, 2), SentimentProbeTest.features(24, 1, 2, 0.6, false, 3));
    List<Double> grid = List.of(1.0, 4.0, 16.0);
    SentimentProbeResult mllib = new SentimentProbe(grid, 1, 100, 2, 64, ProbeSolverChoice.MLLIB)
        .apply(spark, "tiny", data, java.util.Optional.empty(), line -> {});
    SentimentProbeResult inProcess = new SentimentProbe(grid, 1, 100, 2, 64, ProbeSolverChoice.LIBLINEAR)
        .apply(spark, "tiny", data, java.util.Optional.empty(), line -> {});
    assertEquals(mllib.probe().c(), inProcess.probe().c(), "the same C chosen on dev");
    assertEquals(mllib.probe().testAccuracy(), inProcess.probe().testAccuracy(), 0.005);
    for (int i = 0; i < grid.size(); i++) {
      assertEquals(mllib.probe().choice().scores().get(i).devAccuracy(),
          inProcess.probe().choice().scores().get(i).devAccuracy(), 0.005, "dev accuracy at C=" + grid.get(i));
    }
    assertEquals(mllib.unit().unit(), inProcess.unit().unit());
    assertEquals(mllib.unit().testAccuracy(), inProcess.unit().testAccuracy(), 1e-12);
  }

  @Test
  void theSizeThresholdPicksTheSolver() {
    LabeledFeatures small = SentimentProbeTest.features(10, 1, 2, 0.5, false, 1);
    ProbeSolverChoice auto = new ProbeSolverChoice(ProbeSolverChoice.Mode.AUTO, 60);
    assertEquals("liblinear", auto.solverFor(spark, small, 10, 1).name(), "10 x 6 = 60 values: in-process");
    assertEquals("mllib", new ProbeSolverChoice(ProbeSolverChoice.Mode.AUTO, 59).solverFor(spark, small, 10, 1).name());
    assertEquals("mllib", ProbeSolverChoice.MLLIB.solverFor(spark, small, 10, 1).name());
    assertEquals("liblinear", new ProbeSolverChoice(ProbeSolverChoice.Mode.LIBLINEAR, 1)
        .solverFor(spark, small, 10, 1).name());
  }

  @Test
  void labelOrderDoesNotFlipTheProbe() {
    // LIBLINEAR's decision value is for the first label it sees: start with a negative, then a positive.
    LabeledFeatures a = SentimentProbeTest.features(60, 1, 2, 0.3, false, 5);
    int[] order = java.util.stream.IntStream.range(0, 60).map(i -> 59 - i).toArray();
    LabeledFeatures reversed = a.subset(order);
    LinearProbe p = new LiblinearProbes(1).fit(a, List.of(1.0)).get(0);
    LinearProbe q = new LiblinearProbes(1).fit(reversed, List.of(1.0)).get(0);
    assertTrue(p.weight(SentimentProbeTest.CARRIER) > 0 && q.weight(SentimentProbeTest.CARRIER) > 0);
    assertTrue(a.accuracy(p) >= 0.9 && a.accuracy(q) >= 0.9, a.accuracy(p) + " " + a.accuracy(q));
  }
}
