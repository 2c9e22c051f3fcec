package org.neurolake.train;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.api.TrainableModel;

/**
 * An executor-side pool of built models, so a round's task does not rebuild (and re-initialize)
 * its network. It is a cache only: a task overwrites parameters, optimizer state, step and
 * learning rate before it trains, so which instance it gets never changes a result. This is the
 * one piece of JVM-wide state in the engine; Spark executors live as long as the application.
 */
final class WorkerModels {
  private static final Map<String, ConcurrentLinkedQueue<TrainableModel>> POOL = new ConcurrentHashMap<>();

  private WorkerModels() {}

  static TrainableModel borrow(ModelSpec spec) {
    TrainableModel m = POOL.computeIfAbsent(ModelSpecs.toJson(spec), k -> new ConcurrentLinkedQueue<>()).poll();
    return m != null ? m : spec.build();
  }

  static void giveBack(TrainableModel model) {
    POOL.computeIfAbsent(ModelSpecs.toJson(model.spec()), k -> new ConcurrentLinkedQueue<>()).add(model);
  }
}
