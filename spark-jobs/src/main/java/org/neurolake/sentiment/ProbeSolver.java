package org.neurolake.sentiment;

import java.util.List;

/**
 * Fits the L1-regularized logistic probe (scikit-learn's C: minimize C·Σ loss + ‖w‖₁, intercept
 * unpenalized) on labeled examples (dense or sparse, {@link ProbeExamples}), once per penalty of a grid. Two implementations: in-process
 * LIBLINEAR ({@link LiblinearProbes}) and Spark MLlib ({@link MllibProbes}); {@link ProbeSolverChoice}
 * picks one by problem size.
 */
public interface ProbeSolver {
  /** One probe per C of {@code grid}, in grid order, each fit on all of {@code train}. */
  List<LinearProbe> fit(ProbeExamples train, List<Double> grid);

  /**
   * One probe list per training set of {@code trains} (each as {@link #fit}), in order. By default
   * the sets are fit one after the other; the in-process solver runs every (set, C) fit on one pool.
   */
  default List<List<LinearProbe>> fitEach(List<? extends ProbeExamples> trains, List<Double> grid) {
    return trains.stream().map(t -> fit(t, grid)).toList();
  }

  /** Its name in progress lines and benchmark keys: {@code liblinear} or {@code mllib}. */
  String name();
}
