package org.neurolake.train;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The executor-side store of {@link OptimizerStatePolicy#PER_WORKER}: each shard's optimizer state
 * after its last completed task, for the current run. Only one run's states are kept per JVM: the
 * first task of another run clears the others (Spark applications run one training at a time;
 * this bounds the memory to (N+b) states).
 */
final class WorkerOptimizerStates {
  private static final Map<String, Map<Integer, float[]>> BY_RUN = new ConcurrentHashMap<>();

  private WorkerOptimizerStates() {}

  /** The shard's state, or null when this JVM has none for it. */
  static float[] get(String runId, int shard) {
    Map<Integer, float[]> run = BY_RUN.get(runId);
    return run == null ? null : run.get(shard);
  }

  static void put(String runId, int shard, float[] state) {
    if (!BY_RUN.containsKey(runId)) {
      BY_RUN.keySet().removeIf(r -> !r.equals(runId));
    }
    BY_RUN.computeIfAbsent(runId, r -> new ConcurrentHashMap<>()).put(shard, state);
  }
}
