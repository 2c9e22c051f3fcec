package org.neurolake.checkpoint;

import java.util.List;
import java.util.Optional;

/**
 * Where a run's checkpoints live.
 *
 * <p>Guarantees: {@link #commit} is atomic: afterwards the checkpoint is complete and listed, and
 * if the process dies during it, no partial checkpoint is ever listed or loaded. Every file of a
 * checkpoint is covered by a checksum in its manifest; {@link #latestValid} verifies them and
 * skips (and reports) a corrupt or truncated checkpoint in favour of the previous one. Nothing is
 * ever read through Java deserialization.
 */
public interface CheckpointStore {
  /** Writes {@code c}, then deletes all but the newest {@code keep} committed checkpoints. */
  void commit(Checkpoint c, int keep);

  /** The newest checkpoint that verifies, if any. */
  Optional<Checkpoint> latestValid();

  /** Committed checkpoints, oldest first, by next round. */
  List<Integer> rounds();
}
