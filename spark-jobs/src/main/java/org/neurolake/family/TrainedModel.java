package org.neurolake.family;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.checkpoint.HadoopCheckpointStore;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecs;

/** A run's newest valid checkpoint as a spec of a known type and its parameters (for inference and generation). */
public record TrainedModel<S extends ModelSpec>(S spec, float[] parameters, int round) {
  /** Loads the newest valid checkpoint of {@code checkpointDir}; fails unless its spec is a {@code type}. */
  public static <S extends ModelSpec> TrainedModel<S> load(Configuration conf, Path checkpointDir, Class<S> type) {
    Checkpoint c = new HadoopCheckpointStore(conf, checkpointDir).latestValid().orElseThrow(() ->
        new IllegalArgumentException("no valid checkpoint in " + checkpointDir + ": train the run first"));
    ModelSpec spec = ModelSpecs.fromJson(c.modelSpecJson());
    if (!type.isInstance(spec)) {
      throw new IllegalArgumentException("the run in " + checkpointDir + " trained a " + ModelSpecs.kindOf(spec)
          + " model, not a " + type.getSimpleName());
    }
    return new TrainedModel<>(type.cast(spec), c.parameters(), c.nextRound());
  }

}
