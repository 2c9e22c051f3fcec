package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The probe scored without an official dev split: on a held-out test set, or by stratified k-fold
 * cross-validation ({@link StratifiedFolds}). In both, C is chosen by {@code selector} on the
 * training part alone, the probe is refit on all of it with that C and scored once on the test
 * part; the test part plays no part in any choice.
 *
 * <p>Any feature set ({@link ProbeExamples}) goes through this one loop: the mLSTM's features, and
 * the bag-of-words and byte n-gram baselines' hashed counts ({@link SparseFeatures}). Examples with
 * the same labels in the same order get the same folds. The sentiment unit (one feature of the
 * mLSTM's cell state) is found for dense features only ({@link LabeledFeatures}); a baseline's fold
 * has none (unit -1, NaN accuracy).
 */
public record CrossValidatedProbe(List<Double> grid, ProbeSolver solver, PenaltySelector selector) {
  public CrossValidatedProbe {
    grid = List.copyOf(grid);
    if (grid.isEmpty()) {
      throw new IllegalArgumentException("the penalty grid is empty");
    }
    java.util.Objects.requireNonNull(solver, "solver");
    java.util.Objects.requireNonNull(selector, "selector");
  }

  /** k-fold cross-validation over {@code all}, folds assigned with {@code seed}; {@code done} hears each fold. */
  public CrossValidationResult kFold(ProbeExamples all, int k, long seed, IntConsumer done) {
    return kFold(all, StratifiedFolds.assign(all.labels(), k, seed), done);
  }

  /** k-fold cross-validation over {@code all} on the given folds (assigned to labels equal to its own). */
  public CrossValidationResult kFold(ProbeExamples all, StratifiedFolds folds, IntConsumer done) {
    int k = folds.folds();
    if (folds.size() != all.size()) {
      throw new IllegalArgumentException("folds of " + folds.size() + " examples for " + all.size() + " examples");
    }
    List<FoldScore> out = new ArrayList<>(k);
    for (int f = 0; f < k; f++) {
      out.add(score(f, all.subset(folds.train(f)), all.subset(folds.test(f))));
      done.accept(f);
    }
    return new CrossValidationResult(ProbeProtocol.KFOLD, out);
  }

  /** Trains on {@code train}, scores on {@code test} once. */
  public CrossValidationResult heldOut(ProbeExamples train, ProbeExamples test) {
    return new CrossValidationResult(ProbeProtocol.HELD_OUT, List.of(score(0, train, test)));
  }

  FoldScore score(int fold, ProbeExamples train, ProbeExamples test) {
    if (train.features() != test.features()) {
      throw new IllegalArgumentException("training examples have " + train.features() + " features, test examples "
          + test.features());
    }
    PenaltyScore chosen = PenaltySelector.best(selector.scores(train, grid));
    LinearProbe probe = solver.fit(train, List.of(chosen.c())).get(0);
    if (!(train instanceof LabeledFeatures denseTrain) || !(test instanceof LabeledFeatures denseTest)) {
      return new FoldScore(fold, train.size(), test.size(), chosen.c(), chosen.devAccuracy(), test.accuracy(probe),
          probe.nonZeroWeights(), -1, Double.NaN);
    }
    LinearProbe named = probe;
    if (named.largestWeight() < 0 && chosen.c() != grid.get(grid.size() - 1)) {
      named = solver.fit(train, List.of(grid.get(grid.size() - 1))).get(0);
    }
    int unit = named.largestWeight();
    double unitAccuracy = Double.NaN;
    if (unit >= 0) {
      ThresholdClassifier t = ThresholdClassifier.fit(denseTrain.unit(unit), denseTrain.labels());
      unitAccuracy = denseTest.accuracy(t, unit);
    }
    return new FoldScore(fold, train.size(), test.size(), chosen.c(), chosen.devAccuracy(), test.accuracy(probe),
        probe.nonZeroWeights(), unit, unitAccuracy);
  }
}
