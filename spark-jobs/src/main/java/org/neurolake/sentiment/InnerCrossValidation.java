package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;

/**
 * Chooses C by stratified k-fold cross-validation inside the training examples given: for each
 * inner fold, the grid is fit on the other inner folds and scored on it; a C's score is its mean
 * inner held-out accuracy ({@link PenaltyScore#devAccuracy()} holds it).
 */
public record InnerCrossValidation(int folds, long seed, ProbeSolver solver) implements PenaltySelector {
  public static final int DEFAULT_FOLDS = 3;

  public InnerCrossValidation {
    if (folds < 2) {
      throw new IllegalArgumentException("inner cross-validation needs >= 2 folds, got " + folds);
    }
    java.util.Objects.requireNonNull(solver, "solver");
  }

  @Override
  public List<PenaltyScore> scores(ProbeExamples train, List<Double> grid) {
    if (train.size() < folds) {
      throw new IllegalArgumentException(train.size() + " training examples cannot make " + folds + " inner folds");
    }
    StratifiedFolds inner = StratifiedFolds.assign(train.labels(), folds, seed);
    double[] sum = new double[grid.size()];
    for (int f = 0; f < folds; f++) {
      ProbeExamples fit = train.subset(inner.train(f));
      ProbeExamples held = train.subset(inner.test(f));
      List<LinearProbe> probes = solver.fit(fit, grid);
      for (int i = 0; i < grid.size(); i++) {
        sum[i] += held.accuracy(probes.get(i));
      }
    }
    List<PenaltyScore> out = new ArrayList<>(grid.size());
    for (int i = 0; i < grid.size(); i++) {
      out.add(new PenaltyScore(grid.get(i), sum[i] / folds));
    }
    return out;
  }
}
