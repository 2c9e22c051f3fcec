package org.neurolake.checkpoint;

import java.util.Map;

/**
 * A training run's complete state after a round: parameters, optimizer state, the next round
 * (which is also the data cursor: every batch position and random draw is a function of seed,
 * round and task), the number of averaging updates applied, the seed, and the model and trainer
 * configuration it was produced with.
 */
public record Checkpoint(int nextRound, long updates, long seed, float[] parameters, float[] optimizerState,
    String modelSpecJson, Map<String, String> trainerConfig) {
  public Checkpoint {
    trainerConfig = Map.copyOf(trainerConfig);
  }
}
