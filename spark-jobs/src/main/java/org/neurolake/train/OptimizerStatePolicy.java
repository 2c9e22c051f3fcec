package org.neurolake.train;

/**
 * What happens to the optimizer state (e.g. Adam's moments) between rounds.
 */
public enum OptimizerStatePolicy {
  /**
   * Broadcast with the parameters and averaged over the accepted workers like them (DL4J's
   * {@code averageUpdaters}): every worker starts a round from the same state, a run does not
   * depend on which tasks were dropped, checkpoints hold the state and a resumed run is exact.
   * Costs two more model-sized vectors each way per task and round (for Adam).
   */
  AVERAGED,
  /**
   * Kept by the executor that ran the shard's last completed task, never sent. A shard whose task
   * runs on an executor without its state (the first round, a lost or new executor) starts from
   * the optimizer's initial state. A third of the traffic of AVERAGED for Adam; checkpoints hold
   * no optimizer state, so a resumed run restarts the moments (its parameters are exact).
   */
  PER_WORKER
}
