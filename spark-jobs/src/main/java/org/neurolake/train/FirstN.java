package org.neurolake.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The synchronous-with-backups acceptance rule for one round: results are offered in the order
 * they arrive; the first N successful ones (one per task) are accepted, later ones (the b
 * stragglers') are refused and never read. {@link FirstNAverage} sums the accepted vectors with
 * this rule; the sharded aggregation ({@link ShardedAggregation}) decides with it on results whose
 * vectors stayed on the executors, and averages them later in {@link #order()}.
 */
public final class FirstN {
  private final int n;
  private final Map<Integer, WorkerResult> accepted = new TreeMap<>();
  private final List<Integer> order = new ArrayList<>();

  /** A round that needs {@code n} results. */
  public FirstN(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("a round needs N >= 1 results: " + n);
    }
    this.n = n;
  }

  /** Offers the next arrival; true when it is accepted (successful, new, and fewer than N accepted so far). */
  public boolean offer(WorkerResult result) {
    if (complete() || !result.ok() || accepted.containsKey(result.task())) {
      return false;
    }
    accepted.put(result.task(), result);
    order.add(result.task());
    return true;
  }

  /** True once N results are accepted: the round can end and its stragglers be cancelled. */
  public boolean complete() {
    return accepted.size() == n;
  }

  public int n() {
    return n;
  }

  /** The accepted results by task. */
  public Map<Integer, WorkerResult> accepted() {
    return Collections.unmodifiableMap(accepted);
  }

  /** The accepted tasks in the order they were accepted: the order their vectors are summed in. */
  public List<Integer> order() {
    return List.copyOf(order);
  }
}
