package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.neurolake.eval.Metric;

/** The k-fold and held-out protocols in-process (LIBLINEAR): no Spark. */
class CrossValidatedProbeTest {
  static final List<Double> GRID = List.of(Math.scalb(1.0, -6), Math.scalb(1.0, -2), 1.0, 4.0);

  /**
   * A selector that records every example it is shown (its dense vector or sparse index row, by
   * identity: subsets share them), then defers to inner CV.
   */
  static final class RecordingSelector implements PenaltySelector {
    final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    final List<Integer> calls = new ArrayList<>();
    final PenaltySelector inner;

    RecordingSelector(PenaltySelector inner) {
      this.inner = inner;
    }

    @Override
    public List<PenaltyScore> scores(ProbeExamples train, List<Double> grid) {
      seen.addAll(List.of(rows(train)));
      calls.add(train.size());
      return inner.scores(train, grid);
    }
  }

  /** The objects that identify {@code d}'s examples: dense vectors or sparse index rows. */
  static Object[] rows(ProbeExamples d) {
    if (d instanceof LabeledFeatures dense) {
      return dense.vectors();
    }
    return ((SparseFeatures) d).indices();
  }

  @Test
  void cIsNeverChosenOnATestFold() {
    LabeledFeatures all = SentimentProbeTest.features(120, 1, 2, 0.6, false, 21);
    ProbeSolver solver = new LiblinearProbes(2);
    StratifiedFolds folds = StratifiedFolds.assign(all.labels(), 5, 3);
    for (int f = 0; f < 5; f++) {
      RecordingSelector selector = new RecordingSelector(new InnerCrossValidation(3, 3, solver));
      LabeledFeatures train = all.subset(folds.train(f));
      LabeledFeatures test = all.subset(folds.test(f));
      FoldScore s = new CrossValidatedProbe(GRID, solver, selector).score(f, train, test);
      assertEquals(List.of(train.size()), selector.calls, "one choice per fold, on its training part");
      for (float[] v : test.vectors()) {
        assertFalse(selector.seen.contains(v), "fold " + f + ": the selector saw a test example");
      }
      assertEquals(train.size(), selector.seen.size(), "it saw the whole training part");
      assertTrue(GRID.contains(s.c()));
    }
  }

  @Test
  void kFoldScoresEveryFoldOnceAndIsDeterministic() {
    LabeledFeatures all = SentimentProbeTest.features(150, 1, 2, 0.6, false, 22);
    ProbeSolver solver = new LiblinearProbes(2);
    List<Integer> done = new ArrayList<>();
    RecordingSelector selector = new RecordingSelector(new InnerCrossValidation(3, 5, solver));
    CrossValidationResult r = new CrossValidatedProbe(GRID, solver, selector).kFold(all, 10, 5, done::add);
    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), done);
    assertEquals(10, r.folds().size());
    assertEquals(150, r.folds().stream().mapToInt(FoldScore::testExamples).sum());
    assertTrue(r.folds().stream().allMatch(f -> f.trainExamples() + f.testExamples() == 150));
    assertEquals(10, selector.calls.size());
    assertEquals("10-fold", r.label());
    assertTrue(r.probe().mean() >= 0.8, "the carrier separates the classes: " + r.probe());
    assertTrue(r.probe().std() > 0 && r.probe().std() < 0.2, r.probe().toString());
    assertTrue(r.folds().stream().allMatch(f -> f.unit() == SentimentProbeTest.CARRIER), r.folds().toString());
    double[] acc = r.folds().stream().mapToDouble(FoldScore::testAccuracy).toArray();
    double mean = java.util.Arrays.stream(acc).average().orElseThrow();
    assertEquals(mean, r.probe().mean(), 1e-12);
    double var = java.util.Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / (acc.length - 1);
    assertEquals(Math.sqrt(var), r.probe().std(), 1e-12, "the sample standard deviation");

    CrossValidationResult again = new CrossValidatedProbe(GRID, new LiblinearProbes(1),
        new InnerCrossValidation(3, 5, new LiblinearProbes(1))).kFold(all, 10, 5, f -> {});
    assertEquals(r.folds(), again.folds(), "same seed, same folds and fits, whatever the parallelism");

    List<Metric> rows = TransferScore.of(SentimentModels.PROBE, r.label(), r.probe()).metrics("rt");
    assertEquals(List.of("10-fold transfer_accuracy_mean", "10-fold transfer_accuracy_std",
        "10-fold transfer_folds"), rows.stream().map(m -> m.split() + " " + m.metric()).toList());
    assertEquals(10, rows.get(2).value());
  }

  @Test
  void heldOutTrainsOnOneSetAndScoresTheOther() {
    LabeledFeatures train = SentimentProbeTest.features(80, 1, 2, 0.5, false, 23);
    LabeledFeatures test = SentimentProbeTest.features(40, 1, 2, 0.5, true, 24);
    ProbeSolver solver = new LiblinearProbes(2);
    RecordingSelector selector = new RecordingSelector(new InnerCrossValidation(3, 1, solver));
    CrossValidationResult r = new CrossValidatedProbe(GRID, solver, selector).heldOut(train, test);
    assertEquals("held-out", r.label());
    assertEquals(1, r.folds().size());
    assertEquals(0, r.probe().std());
    // The test set's signs are flipped: a probe fit on train alone is wrong on it.
    assertTrue(r.probe().mean() <= 0.3, r.folds().toString());
    for (float[] v : test.vectors()) {
      assertFalse(selector.seen.contains(v));
    }
  }

  @Test
  void aBaselinesCIsNeverChosenOnATestFoldAndItHasNoUnit() {
    SparseFeatures all = SparseFeaturesTest.sparse(SparseFeaturesTest.halfZero(120, 25));
    ProbeSolver solver = new LiblinearProbes(2);
    StratifiedFolds folds = StratifiedFolds.assign(all.labels(), 5, 3);
    for (int f = 0; f < 5; f++) {
      RecordingSelector selector = new RecordingSelector(new InnerCrossValidation(3, 3, solver));
      SparseFeatures train = all.subset(folds.train(f));
      SparseFeatures test = all.subset(folds.test(f));
      FoldScore s = new CrossValidatedProbe(GRID, solver, selector).score(f, train, test);
      assertEquals(List.of(train.size()), selector.calls, "one choice per fold, on its training part");
      for (Object row : rows(test)) {
        assertFalse(selector.seen.contains(row), "fold " + f + ": the selector saw a test example");
      }
      assertEquals(train.size(), selector.seen.size(), "it saw the whole training part");
      assertEquals(-1, s.unit(), "hashed counts have no sentiment unit");
      assertTrue(Double.isNaN(s.unitTestAccuracy()));
      assertTrue(s.testAccuracy() >= 0.7, "the carrier separates the classes: " + s);
    }
  }
}
