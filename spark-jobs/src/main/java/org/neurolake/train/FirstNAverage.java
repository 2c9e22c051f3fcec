package org.neurolake.train;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The synchronous-with-backups rule for one round: results are offered in the order they arrive;
 * the first N successful ones are accepted and summed as they come, later ones (the b stragglers')
 * are refused and never read; the new state is the mean of the accepted parameters (and optimizer
 * states, when averaged). The Spark engine and the simulated engine both decide with this class.
 *
 * <p>Sums are kept in double: the sum of N floats then differs from a sum in task order only far
 * below float precision, so the average (rounded to float) does not depend on arrival order in
 * practice.
 */
public final class FirstNAverage {
  private final int n;
  private final double[] parameterSum;
  private final double[] stateSum;
  private final Map<Integer, WorkerResult> accepted = new TreeMap<>();

  /** A round that needs {@code n} results of {@code nParameters} parameters and {@code nState} state values (0: not averaged). */
  public FirstNAverage(int n, int nParameters, int nState) {
    if (n < 1) {
      throw new IllegalArgumentException("a round needs N >= 1 results: " + n);
    }
    this.n = n;
    this.parameterSum = new double[nParameters];
    this.stateSum = new double[nState];
  }

  /** Offers the next arrival; true when it is accepted (successful, and fewer than N accepted so far). */
  public boolean offer(WorkerResult result) {
    if (complete() || !result.ok() || accepted.containsKey(result.task())) {
      return false;
    }
    addTo(parameterSum, result.parameters());
    if (stateSum.length > 0) {
      addTo(stateSum, result.optimizerState());
    }
    accepted.put(result.task(), result);
    return true;
  }

  /** True once N results are accepted: the round can end and its stragglers be cancelled. */
  public boolean complete() {
    return accepted.size() == n;
  }

  /** The accepted results by task. */
  public Map<Integer, WorkerResult> accepted() {
    return Collections.unmodifiableMap(accepted);
  }

  /** The mean of the accepted results as the state after round {@code round}. */
  public TrainingState average(int round, long updates) {
    if (!complete()) {
      throw new IllegalStateException("round " + round + " has " + accepted.size() + " of its N = " + n + " results");
    }
    return new TrainingState(round + 1, scale(parameterSum, n), scale(stateSum, n), updates);
  }

  private static void addTo(double[] sum, float[] v) {
    if (v.length != sum.length) {
      throw new IllegalStateException("a worker returned " + v.length + " values, expected " + sum.length);
    }
    for (int i = 0; i < v.length; i++) {
      sum[i] += v[i];
    }
  }

  private static float[] scale(double[] sum, int n) {
    float[] out = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = (float) (sum[i] / n);
    }
    return out;
  }
}
