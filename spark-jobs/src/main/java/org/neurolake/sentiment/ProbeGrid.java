package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The L1 probe over a penalty grid with C chosen on dev: one fit per C on the training features by
 * the solver {@link ProbeSolverChoice} picks for their size ({@link LiblinearProbes} in-process,
 * {@link MllibProbes} above the threshold), each scored on dev on the driver.
 */
public record ProbeGrid(List<Double> grid, int maxIter, int parallelism, ProbeSolverChoice solvers) {
  public ProbeGrid {
    grid = List.copyOf(grid);
    if (grid.isEmpty() || maxIter < 1 || parallelism < 1) {
      throw new IllegalArgumentException("need a non-empty grid, maxIter >= 1 and parallelism >= 1, got " + grid
          + ", " + maxIter + ", " + parallelism);
    }
    java.util.Objects.requireNonNull(solvers, "solvers");
  }

  /** MLlib for every fit, as before the in-process solver. */
  public ProbeGrid(List<Double> grid, int maxIter, int parallelism) {
    this(grid, maxIter, parallelism, ProbeSolverChoice.MLLIB);
  }

  public PenaltyChoice<LinearProbe> fit(SparkSession spark, LabeledFeatures train, LabeledFeatures dev) {
    return fitEach(spark, List.of(train), dev).get(0);
  }

  /**
   * The grid on each training set of {@code trains}, C chosen on {@code dev} for each, in order. The
   * sets one solver takes are fit in one batch ({@link ProbeSolver#fitEach}: in-process, all their
   * fits share one pool).
   */
  public List<PenaltyChoice<LinearProbe>> fitEach(SparkSession spark, List<LabeledFeatures> trains,
      LabeledFeatures dev) {
    Map<ProbeSolver, List<Integer>> bySolver = new LinkedHashMap<>();
    for (int i = 0; i < trains.size(); i++) {
      bySolver.computeIfAbsent(solvers.solverFor(spark, trains.get(i), maxIter, parallelism), s -> new ArrayList<>())
          .add(i);
    }
    List<PenaltyChoice<LinearProbe>> out = new ArrayList<>(java.util.Collections.nCopies(trains.size(), null));
    bySolver.forEach((solver, sets) -> {
      List<List<LinearProbe>> probes = solver.fitEach(sets.stream().map(trains::get).toList(), grid);
      for (int k = 0; k < sets.size(); k++) {
        out.set(sets.get(k), PenaltyChoice.onDev(grid, probes.get(k), dev::accuracy));
      }
    });
    return List.copyOf(out);
  }
}
