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
    // The data-efficiency curve: in-process, all its subsets are fit in one batch (ProbeGrid.fitEach).
    assertEquals(mllib.dataEfficiency().size(), inProcess.dataEfficiency().size());
    for (int i = 0; i < mllib.dataEfficiency().size(); i++) {
      DataEfficiencyPoint m = mllib.dataEfficiency().get(i);
      DataEfficiencyPoint p = inProcess.dataEfficiency().get(i);
      assertEquals(m.examples(), p.examples());
      assertEquals(m.seed(), p.seed());
      assertEquals(m.testAccuracy(), p.testAccuracy(), 0.005, "test accuracy on " + m.examples() + " examples");
    }
  }

  @Test
  void aBatchOfTrainingSetsGivesTheModelsOfFittingEachAlone() {
    // The data-efficiency curve's batch: several sets' grids on one pool, in a different order than
    // set by set; every model must be the one a lone fit of that set and C gives, bit for bit.
    LabeledFeatures all = SentimentProbeTest.features(200, 2, 5, 1.0, false, 11);
    List<LabeledFeatures> sets = List.of(all.subset(LabeledSubsets.sample(all.labels(), 16, 0)),
        all, all.subset(LabeledSubsets.sample(all.labels(), 64, 1)));
    List<Double> grid = List.of(Math.scalb(1.0, -4), 0.5, 1.0);
    LiblinearProbes solver = new LiblinearProbes(2);
    List<List<LinearProbe>> batch = solver.fitEach(sets, grid);
    assertEquals(sets.size(), batch.size());
    for (int s = 0; s < sets.size(); s++) {
      for (int g = 0; g < grid.size(); g++) {
        LinearProbe alone = new LiblinearProbes(1).fit(sets.get(s), List.of(grid.get(g))).get(0);
        LinearProbe batched = batch.get(s).get(g);
        assertTrue(java.util.Arrays.equals(alone.weights(), batched.weights()) && alone.intercept() == batched
            .intercept(), "set " + s + " C=" + grid.get(g) + ": " + java.util.Arrays.toString(batched.weights())
            + " vs alone " + java.util.Arrays.toString(alone.weights()));
      }
    }
    assertTrue(solver.threads() <= Runtime.getRuntime().availableProcessors(), "the pool is sized to the cores");
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
