package org.neurolake.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.storage.BlockId;

/**
 * The second stage of a sharded round, one task per slice s: read slice s of every accepted result
 * (from the block manager that holds it) in acceptance order and average it in double
 * ({@link DoubleMean}), exactly the arithmetic of the collect mode on that part of the vector,
 * into a block kept in this executor's block manager, whose id it returns (the averaged values
 * do not go through Spark's task result, which serialized and copied them several times more).
 * A slice for which some accepted result's block is gone (its executor was lost) returns no
 * average but the tasks whose results the driver must recompute.
 */
final class SliceAverageTask implements Function<Integer, AveragedSlice> {
  private final List<StoredResult> acceptedInOrder;
  private final String runId;
  private final SliceLayout layout;
  private final int round;
  private final FaultInjection faults;

  SliceAverageTask(List<StoredResult> acceptedInOrder, SliceLayout layout, int round, FaultInjection faults) {
    if (acceptedInOrder.isEmpty()) {
      throw new IllegalArgumentException("a slice stage needs the accepted results");
    }
    this.acceptedInOrder = List.copyOf(acceptedInOrder);
    this.runId = acceptedInOrder.get(0).runId();
    this.layout = layout;
    this.round = round;
    this.faults = faults;
  }

  @Override
  public AveragedSlice call(Integer slice) {
    faults.inSlice(round, slice);
    List<ResultBlocks.Slice> slices = new ArrayList<>();
    List<Integer> missing = new ArrayList<>();
    for (StoredResult r : acceptedInOrder) {
      Optional<ResultBlocks.Slice> s = ResultBlocks.read(r, slice);
      if (s.isPresent()) {
        slices.add(s.get());
      } else {
        missing.add(r.task());
      }
    }
    if (!missing.isEmpty()) {
      return AveragedSlice.lost(slice, missing);
    }
    BlockId kept = StoredResult.averagedBlockId(runId, round, slice, TaskContext.get().taskAttemptId());
    ResultBlocks.put(kept, average(slice, slices, layout));
    if (faults.loseAveragedSlice(round, slice)) {
      ResultBlocks.drop(kept);
    }
    return AveragedSlice.kept(slice, kept);
  }

  /**
   * The mean, in double in the given order, of the slices of the accepted results, as an encoded
   * block ({@link ResultBlocks#decode} reads it).
   */
  static byte[] average(int slice, List<ResultBlocks.Slice> inOrder, SliceLayout layout) {
    int np = layout.parameters().size(slice);
    int ns = layout.state().size(slice);
    byte[] block = ResultBlocks.allocate(np, ns);
    ResultBlocks.Slice out = ResultBlocks.writable(block);
    DoubleMean.meanInto(inOrder.stream().map(ResultBlocks.Slice::parameters).toList(), np, out.parameters());
    DoubleMean.meanInto(inOrder.stream().map(ResultBlocks.Slice::state).toList(), ns, out.state());
    return block;
  }
}
