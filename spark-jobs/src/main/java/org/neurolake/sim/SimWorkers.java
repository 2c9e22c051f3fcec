package org.neurolake.sim;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.train.LocalSteps;
import org.neurolake.train.OptimizerStatePolicy;
import org.neurolake.train.PackedFloats;
import org.neurolake.train.RoundInput;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.WorkerResult;

/**
 * The simulated workers' arithmetic, run one after another in this process: each is a real worker
 * of the engine ({@link LocalSteps} on its own shard), with a virtual clock instead of a wall one.
 * Under {@link OptimizerStatePolicy#PER_WORKER} (and always for the asynchronous setting, which has
 * no averaged state) each worker keeps its optimizer state between its steps.
 */
final class SimWorkers {
  private final TrainerConfig cfg;
  private final List<ExampleShard> shards;
  private final TrainableModel model;
  private final float[] initialState;
  private final Map<Integer, float[]> ownStates = new HashMap<>();

  SimWorkers(ModelSpec spec, TrainerConfig cfg, List<ExampleShard> shards) {
    this.cfg = cfg;
    this.shards = shards;
    this.model = spec.build();
    this.initialState = model.optimizerState();
  }

  int machines() {
    return shards.size();
  }

  /**
   * Worker {@code worker}'s K local steps from {@code in}; with {@code averagedState} the round's
   * optimizer state is the input's and is returned, otherwise the worker's own is used and kept.
   */
  WorkerResult run(int worker, RoundInput in, boolean averagedState) {
    float[] state = averagedState ? in.optimizerState() : ownStates.getOrDefault(worker, initialState);
    LocalSteps.start(model, in, state);
    double loss = LocalSteps.run(model, shards.get(worker), cfg, in.round(), () -> false).getAsDouble();
    float[] after = model.optimizerState();
    if (!averagedState) {
      ownStates.put(worker, after);
    }
    return new WorkerResult(in.runId(), in.round(), worker, new PackedFloats(model.parameters()),
        averagedState ? new PackedFloats(after) : null, loss, (long) cfg.localSteps() * cfg.batchSize(), 0, 0, 0,
        "simulated", null, null, null);
  }

  boolean averaged() {
    return cfg.optimizerState() == OptimizerStatePolicy.AVERAGED;
  }
}
