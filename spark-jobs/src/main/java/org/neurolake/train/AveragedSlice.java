package org.neurolake.train;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.storage.BlockId;

/**
 * What one slice task returns: where it kept slice {@code slice} of the averaged parameters and
 * optimizer state (a block in its executor's block manager, in {@link ResultBlocks}' form, which
 * the driver reads: the values never take Spark's task-result path), or, when some accepted
 * results' blocks for it were gone, the tasks whose results must be recomputed ({@code missing},
 * non-empty, and no block).
 */
public record AveragedSlice(int slice, BlockId block, List<Integer> missing) implements Serializable {

  static AveragedSlice kept(int slice, BlockId block) {
    return new AveragedSlice(slice, block, List.of());
  }

  static AveragedSlice lost(int slice, List<Integer> missing) {
    return new AveragedSlice(slice, null, List.copyOf(missing));
  }

  public boolean complete() {
    return missing.isEmpty();
  }
}
