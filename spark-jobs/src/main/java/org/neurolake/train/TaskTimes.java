package org.neurolake.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Collects when and where every task of the engine's jobs ran, including the stragglers the
 * driver cancelled (whose results never arrive): the data of the per-round completion-time CDF.
 */
final class TaskTimes extends SparkListener {
  /** One ended task attempt of a round's job. */
  record Ended(int jobId, int partition, long launchMs, long finishMs, String executor, boolean successful,
      boolean killed, String reason) {}

  private final Map<Integer, Integer> stageToJob = new ConcurrentHashMap<>();
  private final Map<Integer, List<Ended>> byJob = new ConcurrentHashMap<>();

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    scala.collection.Iterator<Object> it = jobStart.stageIds().iterator();
    while (it.hasNext()) {
      stageToJob.put((Integer) it.next(), jobStart.jobId());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    Integer job = stageToJob.get(end.stageId());
    if (job == null) {
      return;
    }
    TaskInfo info = end.taskInfo();
    byJob.computeIfAbsent(job, j -> java.util.Collections.synchronizedList(new ArrayList<>()))
        .add(new Ended(job, info.index(), info.launchTime(), info.finishTime(), info.executorId(), info.successful(),
            end.reason() instanceof org.apache.spark.TaskKilled, end.reason().toString()));
  }

  /** The tasks of {@code jobId} that have ended so far. */
  List<Ended> ended(int jobId) {
    List<Ended> l = byJob.get(jobId);
    if (l == null) {
      return List.of();
    }
    synchronized (l) {
      return List.copyOf(l);
    }
  }

  /** Waits until {@code jobId} has at least {@code n} ended tasks, or the timeout passes. */
  List<Ended> awaitEnded(int jobId, int n, long timeoutMs) throws InterruptedException {
    long until = System.currentTimeMillis() + timeoutMs;
    List<Ended> e = ended(jobId);
    while (e.size() < n && System.currentTimeMillis() < until) {
      Thread.sleep(10);
      e = ended(jobId);
    }
    return e;
  }
}
