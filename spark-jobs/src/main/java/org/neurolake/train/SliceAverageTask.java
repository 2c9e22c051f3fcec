package org.neurolake.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.function.Function;

/**
 * The second stage of a sharded round, one task per slice s: read slice s of every accepted result
 * (from the block manager that holds it) in acceptance order and average it in double
 * ({@link DoubleMean}), exactly the arithmetic of the collect mode on that part of the vector.
 * A slice for which some accepted result's block is gone (its executor was lost) returns no
 * average but the tasks whose results the driver must recompute.
 */
final class SliceAverageTask implements Function<Integer, AveragedSlice> {
  private final List<StoredResult> acceptedInOrder;
  private final SliceLayout layout;
  private final int round;
  private final FaultInjection faults;

  SliceAverageTask(List<StoredResult> acceptedInOrder, SliceLayout layout, int round, FaultInjection faults) {
    this.acceptedInOrder = List.copyOf(acceptedInOrder);
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
    return average(slice, slices, layout);
  }

  /** The mean, in double in the given order, of the slices of the accepted results. */
  static AveragedSlice average(int slice, List<ResultBlocks.Slice> inOrder, SliceLayout layout) {
    List<java.nio.FloatBuffer> p = inOrder.stream().map(ResultBlocks.Slice::parameters).toList();
    List<java.nio.FloatBuffer> s = inOrder.stream().map(ResultBlocks.Slice::state).toList();
    return AveragedSlice.of(slice, DoubleMean.meanOf(p, layout.parameters().size(slice)),
        DoubleMean.meanOf(s, layout.state().size(slice)));
  }
}
