package org.neurolake.train;

import java.io.Serializable;
import org.apache.spark.storage.BlockId;
import org.apache.spark.storage.TestBlockId;

/**
 * Where one task attempt left its result in the sharded mode: one block per slice in its
 * executor's block manager, named by run, round, task and Spark's task attempt id (unique in the
 * application), so a recomputed or straggling attempt never overwrites another's blocks.
 *
 * <p>The blocks are {@link TestBlockId}s: Spark parses a block's name when another executor
 * fetches it and knows no application-defined kind; a {@code test_} name is the one kind free for
 * any string (BigDL's parameter blocks do the same).
 */
public record StoredResult(String runId, int round, int task, long attempt, int slices) implements Serializable {
  /** What Spark puts before a {@link TestBlockId}'s id in its name. */
  private static final String TEST_NAME = "test_";

  public BlockId blockId(int slice) {
    if (slice < 0 || slice >= slices) {
      throw new IllegalArgumentException("slice " + slice + " of " + slices);
    }
    return new TestBlockId(roundPrefix(runId, round).substring(TEST_NAME.length()) + "t" + task + "~a" + attempt
        + "~s" + slice);
  }

  /**
   * The block in which slice {@code slice} of round {@code round}'s average is kept by the slice
   * task attempt {@code attempt} (Spark's task attempt id). It shares the round's prefix, so the
   * round's removal takes it too.
   */
  static BlockId averagedBlockId(String runId, int round, int slice, long attempt) {
    return new TestBlockId(roundPrefix(runId, round).substring(TEST_NAME.length()) + "mean~a" + attempt + "~s"
        + slice);
  }

  /**
   * The start of the names of every block of round {@code round} of run {@code runId}. '~' is
   * not in a run id (letters, digits, '.', '_', '-'), so one run's prefix is never another's.
   */
  static String roundPrefix(String runId, int round) {
    return runPrefix(runId) + "r" + round + "~";
  }

  /** The start of the names of every block of run {@code runId}. */
  static String runPrefix(String runId) {
    return TEST_NAME + "neurolake-result~" + runId + "~";
  }
}
