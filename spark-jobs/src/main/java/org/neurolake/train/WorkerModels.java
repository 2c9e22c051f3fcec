package org.neurolake.train;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;

/**
 * An executor-side pool of built models, so a round's task does not rebuild (and re-initialize)
 * its network. It is a cache only: a task overwrites parameters, optimizer state, step and
 * learning rate before it trains, so which instance it gets never changes a result. Executor-side
 * caches are JVM-wide by nature (Spark executors live as long as the application); this and
 * {@link WorkerOptimizerStates} are the engine's only ones.
 */
final class WorkerModels {
  // Keyed by the spec itself (a record: value equality), not its JSON: this runs twice per task.
  private static final Map<ModelSpec, ConcurrentLinkedQueue<TrainableModel>> POOL = new ConcurrentHashMap<>();

  private static final Map<ModelSpec, float[]> INITIAL_STATE = new ConcurrentHashMap<>();
  private static final java.util.concurrent.atomic.AtomicBoolean THREADS_SET = new java.util.concurrent.atomic.AtomicBoolean();

  private WorkerModels() {}

  static TrainableModel borrow(ModelSpec spec) {
    TrainableModel m = POOL.computeIfAbsent(spec, k -> new ConcurrentLinkedQueue<>()).poll();
    return m != null ? m : spec.build();
  }

  /** The optimizer state of a freshly built model of {@code spec} (computed once per spec and JVM). */
  static float[] initialOptimizerState(ModelSpec spec) {
    return INITIAL_STATE.computeIfAbsent(spec, k -> k.build().optimizerState()).clone();
  }

  /**
   * Limits the native math of task threads to the cores Spark gives a task
   * ({@code spark.task.cpus}): with one BLAS/OpenMP pool per JVM sized to the machine, N
   * concurrent tasks would each start that many threads and oversubscribe the cores. Applied once
   * per JVM.
   */
  static void limitThreads(int taskCpus) {
    if (THREADS_SET.compareAndSet(false, true)) {
      org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxMasterThreads(taskCpus);
      org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(taskCpus);
      org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(taskCpus);
    }
  }

  static void giveBack(TrainableModel model) {
    POOL.computeIfAbsent(model.spec(), k -> new ConcurrentLinkedQueue<>()).add(model);
  }
}
