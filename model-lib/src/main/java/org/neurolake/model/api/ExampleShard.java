package org.neurolake.model.api;

import java.io.Serializable;

/**
 * A worker's share of the training data, packed for fast batching. Batches are cut at positions
 * the engine chooses, so a run's data order is a function of its seed and round alone.
 */
public interface ExampleShard extends Serializable {
  int size();

  /** Examples {@code from .. from+n-1}, wrapping around the end of the shard. */
  Batch batch(int from, int n);
}
