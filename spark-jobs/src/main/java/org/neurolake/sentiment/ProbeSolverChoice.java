package org.neurolake.sentiment;

import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Which solver fits the probe: {@code auto} fits in-process with LIBLINEAR when the training set
 * holds at most {@code maxInProcessValues} feature values (examples × features; the non-zeros of a
 * sparse baseline's hashed counts, {@link SparseFeatures}) and with MLlib
 * above; {@code liblinear} and {@code mllib} force one. The default threshold, 16 M values (SST-2's
 * 6,920 training sentences × 2,048 units), keeps LIBLINEAR's copies of a problem (its rows, plus
 * the column-major copy each L1 fit makes, ~16 bytes a value) near 0.5 GB per fit running at once;
 * larger sets (e.g. SST-2 at the paper's 4,096 units, or IMDB's 25,000 reviews) go to MLlib.
 */
public record ProbeSolverChoice(Mode mode, long maxInProcessValues) {
  public static final long DEFAULT_MAX_IN_PROCESS_VALUES = 16_000_000L;
  public static final ProbeSolverChoice AUTO = new ProbeSolverChoice(Mode.AUTO, DEFAULT_MAX_IN_PROCESS_VALUES);
  public static final ProbeSolverChoice MLLIB = new ProbeSolverChoice(Mode.MLLIB, DEFAULT_MAX_IN_PROCESS_VALUES);
  public static final ProbeSolverChoice LIBLINEAR =
      new ProbeSolverChoice(Mode.LIBLINEAR, DEFAULT_MAX_IN_PROCESS_VALUES);

  public enum Mode {
    AUTO, LIBLINEAR, MLLIB;

    public static Mode parse(String s) {
      try {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown solver '" + s + "' (auto, liblinear, mllib)", e);
      }
    }
  }

  public ProbeSolverChoice {
    java.util.Objects.requireNonNull(mode, "mode");
    if (maxInProcessValues < 1) {
      throw new IllegalArgumentException("the in-process size threshold must be >= 1, got " + maxInProcessValues);
    }
  }

  /** Whether a training set of {@code examples} × {@code features} is fit in-process. */
  public boolean inProcess(long examples, long features) {
    return switch (mode) {
      case LIBLINEAR -> true;
      case MLLIB -> false;
      case AUTO -> examples * features <= maxInProcessValues;
    };
  }

  /** The solver for {@code train}: by its stored values (examples × features when dense, non-zeros when sparse). */
  public ProbeSolver solverFor(SparkSession spark, ProbeExamples train, int maxIter, int parallelism) {
    return inProcess(train.storedValues(), 1) ? new LiblinearProbes(parallelism)
        : new MllibProbes(spark, maxIter, parallelism);
  }
}
