package org.neurolake.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's side of a sharded round, after {@link FirstN} has accepted N results whose vectors
 * stayed on the executors: a stage of S slice tasks ({@link SliceAverageTask}) each averages slice
 * s of the accepted results in acceptance order and keeps it as a block, and the driver reads the
 * S averaged slices (one vector in all) into the new state. Stragglers' results are never read.
 *
 * <p>Recovery: a slice whose task reports missing blocks, or whose job failed with blocks the
 * master no longer locates, is redone after the lost results are recomputed (the same round task
 * on the same shard from the same broadcast input, which gives the same result) and put back at
 * their place in the acceptance order; slices already averaged are kept (a slice whose average was
 * lost before the driver read it is averaged again). After
 * {@code max-round-attempts} stages the round fails.
 */
final class ShardedAggregation {
  private static final Logger LOG = LoggerFactory.getLogger(ShardedAggregation.class);

  /** Runs task {@code task} of the round again and returns its (stored) result. */
  interface Recompute {
    WorkerResult run(int task) throws InterruptedException;
  }

  /**
   * The new state, how many accepted results had to be recomputed, and the bytes of averaged-slice
   * blocks the driver read.
   */
  record Outcome(TrainingState state, int recomputed, long blockBytesRead) {}

  private final JavaSparkContext jsc;
  private final int maxAttempts;
  private final FaultInjection faults;

  ShardedAggregation(JavaSparkContext jsc, int maxAttempts, FaultInjection faults) {
    this.jsc = jsc;
    this.maxAttempts = maxAttempts;
    this.faults = faults;
  }

  Outcome average(FirstN firstN, SliceLayout layout, int round, long updates, Recompute recompute)
      throws InterruptedException {
    if (!firstN.complete()) {
      throw new IllegalStateException("round " + round + " has " + firstN.accepted().size() + " of its N = "
          + firstN.n() + " results");
    }
    faults.betweenStages(jsc.sc(), round, firstN.accepted());
    List<Integer> order = firstN.order();
    Map<Integer, StoredResult> where = new HashMap<>();
    for (int t : order) {
      StoredResult s = firstN.accepted().get(t).stored();
      if (s == null || s.slices() != layout.count()) {
        throw new IllegalStateException("round " + round + ": task " + t + "'s result was not stored in "
            + layout.count() + " slices");
      }
      where.put(t, s);
    }
    float[] parameters = new float[layout.parameters().length()];
    float[] state = new float[layout.state().length()];
    TreeSet<Integer> todo = new TreeSet<>();
    for (int s = 0; s < layout.count(); s++) {
      todo.add(s);
    }
    int recomputed = 0;
    long blockBytesRead = 0;
    for (int attempt = 1; ; attempt++) {
      List<StoredResult> inOrder = order.stream().map(where::get).toList();
      TreeSet<Integer> lost = new TreeSet<>();
      Exception failure = null;
      try {
        long stage0 = System.currentTimeMillis();
        List<AveragedSlice> got = jsc.parallelize(new ArrayList<>(todo), todo.size())
            .map(new SliceAverageTask(inOrder, layout, round, faults)).collect();
        long placed0 = System.currentTimeMillis();
        for (AveragedSlice a : got) {
          if (!a.complete()) {
            lost.addAll(a.missing());
            continue;
          }
          java.util.Optional<ResultBlocks.Slice> mean = ResultBlocks.read(a.block());
          if (mean.isPresent()) {
            blockBytesRead += ResultBlocks.bytes(mean.get());
            layout.parameters().place(mean.get().parameters(), a.slice(), parameters);
            layout.state().place(mean.get().state(), a.slice(), state);
            todo.remove(a.slice());
          } else { // its executor was lost after averaging: the slice is averaged again
            LOG.warn("round {}: the average of slice {} was lost before the driver read it", round, a.slice());
          }
        }
        LOG.debug("round {}: slice stage {} ms, placing the slices {} ms", round, placed0 - stage0,
            System.currentTimeMillis() - placed0);
      } catch (Exception e) { // the slice job failed (e.g. an executor died under it): find what is gone
        failure = e;
        LOG.warn("round {}: slice stage {} failed: {}", round, attempt, e.toString());
        for (StoredResult s : inOrder) {
          if (!ResultBlocks.located(s, todo)) {
            lost.add(s.task());
          }
        }
      }
      if (todo.isEmpty()) {
        return new Outcome(new TrainingState(round + 1, parameters, state, updates), recomputed, blockBytesRead);
      }
      if (attempt >= maxAttempts) {
        throw new IllegalStateException("round " + round + ": slices " + todo + " still not averaged after "
            + attempt + " slice stages; lost results of tasks " + lost, failure);
      }
      if (!lost.isEmpty()) {
        LOG.warn("round {}: results of tasks {} lost before slices {} were averaged; recomputing them", round, lost,
            todo);
      }
      for (int t : lost) {
        WorkerResult again = recompute.run(t);
        if (again.stored() == null || again.stored().slices() != layout.count()) {
          throw new IllegalStateException("round " + round + ": the recomputed task " + t + " stored no result");
        }
        where.put(t, again.stored());
        recomputed++;
      }
    }
  }
}
