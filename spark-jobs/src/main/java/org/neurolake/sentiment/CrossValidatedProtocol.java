package org.neurolake.sentiment;

import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.SparkSession;

/**
 * The held-out and k-fold protocols' settings, applied the same way to every feature set (the
 * mLSTM's features and each text baseline's): the solver picked for the training examples' size
 * ({@link ProbeSolverChoice}), C chosen by {@code innerFolds}-fold cross-validation seeded with
 * {@code seed} inside each training part ({@link InnerCrossValidation}), the fits and scores by
 * {@link CrossValidatedProbe}. Feature sets of the same documents in the same order are cut into the
 * same folds: {@link #folds} from their labels, passed to every {@link #kFold}.
 *
 * @param folds k of the k-fold protocol
 * @param maxIter MLlib iterations per fit (when the solver is MLlib)
 * @param parallelism fits of the grid run at once
 */
public record CrossValidatedProtocol(List<Double> grid, int folds, int innerFolds, long seed,
    ProbeSolverChoice solvers, int maxIter, int parallelism) {
  public CrossValidatedProtocol {
    grid = List.copyOf(grid);
    java.util.Objects.requireNonNull(solvers, "solvers");
    if (grid.isEmpty() || folds < 2 || innerFolds < 2 || maxIter < 1 || parallelism < 1) {
      throw new IllegalArgumentException("need a non-empty grid, folds and inner folds >= 2, maxIter and parallelism"
          + " >= 1, got " + grid + ", " + folds + ", " + innerFolds + ", " + maxIter + ", " + parallelism);
    }
  }

  /** The stratified folds of examples with {@code labels} (deterministic in the labels and the seed). */
  public StratifiedFolds folds(int[] labels) {
    return StratifiedFolds.assign(labels, folds, seed);
  }

  /**
   * k-fold cross-validation of {@code all} on {@code folds} ({@link #folds} of the same labels);
   * {@code progress} hears the solver and each fold.
   */
  public CrossValidationResult kFold(SparkSession spark, String name, ProbeExamples all, StratifiedFolds folds,
      Consumer<String> progress) {
    if (!java.util.Arrays.equals(folds(all.labels()).foldsOf(), folds.foldsOf())) {
      throw new IllegalArgumentException(name + ": the folds given are not those of its labels");
    }
    CrossValidatedProbe probe = probe(spark, all);
    progress.accept(name + ": " + folds.folds() + "-fold cross-validation over " + all.size() + " examples of "
        + all.features() + " features, solver " + probe.solver().name());
    return probe.kFold(all, folds, f -> progress.accept(name + ": fold " + f + " done"));
  }

  /** Trains on {@code train} (C chosen inside it), scores on {@code test} once. */
  public CrossValidationResult heldOut(SparkSession spark, String name, ProbeExamples train, ProbeExamples test,
      Consumer<String> progress) {
    CrossValidatedProbe probe = probe(spark, train);
    progress.accept(name + ": held-out, " + train.size() + " training and " + test.size() + " test examples of "
        + train.features() + " features, solver " + probe.solver().name());
    return probe.heldOut(train, test);
  }

  private CrossValidatedProbe probe(SparkSession spark, ProbeExamples train) {
    ProbeSolver solver = solvers.solverFor(spark, train, maxIter, parallelism);
    return new CrossValidatedProbe(grid, solver, new InnerCrossValidation(innerFolds, seed, solver));
  }
}
