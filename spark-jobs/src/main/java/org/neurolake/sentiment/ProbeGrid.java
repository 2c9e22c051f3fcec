package org.neurolake.sentiment;

import java.util.List;
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
    List<LinearProbe> probes = solvers.solverFor(spark, train, maxIter, parallelism).fit(train, grid);
    return PenaltyChoice.onDev(grid, probes, dev::accuracy);
  }
}
