package org.neurolake.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * The bytes of task results the driver received (Spark's {@code resultSize} task metric, the
 * serialized result, whether it came in the status message or as a fetched block), and the number
 * of ended tasks, since the last {@link #reset}.
 */
final class DriverResultBytes extends SparkListener {
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong tasks = new AtomicLong();

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    if (end.taskInfo().successful() && end.taskMetrics() != null) {
      bytes.addAndGet(end.taskMetrics().resultSize());
    }
    tasks.incrementAndGet();
  }

  void reset() {
    bytes.set(0);
    tasks.set(0);
  }

  /** The bytes received so far, once {@code expectedTasks} tasks are reported (the listener bus lags), or 10 s passed. */
  long awaitBytes(long expectedTasks) throws InterruptedException {
    long until = System.currentTimeMillis() + 10_000;
    while (tasks.get() < expectedTasks && System.currentTimeMillis() < until) {
      Thread.sleep(10);
    }
    if (tasks.get() < expectedTasks) {
      throw new IllegalStateException("the listener saw " + tasks.get() + " of " + expectedTasks + " tasks end");
    }
    return bytes.get();
  }
}
