package org.neurolake.train;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;

/**
 * An executor-side pool of built models, so a round's task does not rebuild (and re-initialize)
 * its network. It is a cache only: a task overwrites parameters, optimizer state, step and
 * learning rate before it trains, so which instance it gets never changes a result. This is the
 * one piece of JVM-wide state in the engine; Spark executors live as long as the application.
 */
final class WorkerModels {
  // Keyed by the spec itself (a record: value equality), not its JSON: this runs twice per task.
  private static final Map<ModelSpec, ConcurrentLinkedQueue<TrainableModel>> POOL = new ConcurrentHashMap<>();

  private WorkerModels() {}

  static TrainableModel borrow(ModelSpec spec) {
    TrainableModel m = POOL.computeIfAbsent(spec, k -> new ConcurrentLinkedQueue<>()).poll();
    return m != null ? m : spec.build();
  }

  static void giveBack(TrainableModel model) {
    POOL.computeIfAbsent(model.spec(), k -> new ConcurrentLinkedQueue<>()).add(model);
  }
}
