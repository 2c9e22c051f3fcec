package org.neurolake.train;

import java.util.List;
import java.util.Map;

/**
 * The synchronous-with-backups rule for one round with the vectors on the driver: results are
 * offered in the order they arrive; the first N successful ones are accepted ({@link FirstN}) and
 * summed as they come, later ones (the b stragglers') are refused and never read; the new state is
 * the mean of the accepted parameters (and optimizer states, when averaged). The Spark engine's
 * collect mode and the simulated engine both decide with this class.
 *
 * <p>Sums are kept in double ({@link DoubleMean}): the sum of N floats then differs from a sum in
 * task order only far below float precision, so the average (rounded to float) does not depend on
 * arrival order in practice.
 */
public final class FirstNAverage {
  private final FirstN rule;
  private final DoubleMean parameters;
  private final DoubleMean state;

  /** A round that needs {@code n} results of {@code nParameters} parameters and {@code nState} state values (0: not averaged). */
  public FirstNAverage(int n, int nParameters, int nState) {
    this.rule = new FirstN(n);
    this.parameters = new DoubleMean(nParameters);
    this.state = nState > 0 ? new DoubleMean(nState) : null;
  }

  /** Offers the next arrival; true when it is accepted (successful, and fewer than N accepted so far). */
  public boolean offer(WorkerResult result) {
    if (!rule.offer(result)) {
      return false;
    }
    parameters.add(result.parameters());
    if (state != null) {
      state.add(result.optimizerState());
    }
    return true;
  }

  /** True once N results are accepted: the round can end and its stragglers be cancelled. */
  public boolean complete() {
    return rule.complete();
  }

  /** The accepted results by task. */
  public Map<Integer, WorkerResult> accepted() {
    return rule.accepted();
  }

  /** The accepted tasks in acceptance order (the order they were summed in). */
  public List<Integer> order() {
    return rule.order();
  }

  /** The mean of the accepted results as the state after round {@code round}. */
  public TrainingState average(int round, long updates) {
    if (!complete()) {
      throw new IllegalStateException("round " + round + " has " + accepted().size() + " of its N = " + rule.n()
          + " results");
    }
    return new TrainingState(round + 1, parameters.mean(), state == null ? new float[0] : state.mean(), updates);
  }
}
