package org.neurolake.train;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Failures injected into chosen tasks, for the fault-tolerance tests: a task that throws, an
 * executor JVM that halts, or a point where the process hangs so that a test can kill it there
 * (a task of a round, or the driver in the middle of writing the checkpoint {@code round}), or, in
 * the sharded aggregation mode, a stored result lost, an executor killed between a round's two
 * stages or one halted inside a slice task. Each
 * fires once, guarded by a marker file that the first firing creates (so a retried or later task
 * does not fire again); a test waits for that file before it kills a hanging process.
 */
public record FaultInjection(Kind kind, int round, int task, String markerFile) implements Serializable {
  public enum Kind {
    NONE, THROW, HALT_EXECUTOR,
    /** Task {@code task} of round {@code round} hangs before its work. */
    HANG_TASK,
    /** The driver hangs while writing the checkpoint whose next round is {@code round}, part of it written. */
    HANG_IN_CHECKPOINT,
    /**
     * In the sharded aggregation mode, task {@code task}'s stored result of round {@code round} is
     * lost once the task has reported it (its blocks removed, as when its executor dies between
     * the round's two stages); the slice stage then finds it missing.
     */
    LOSE_STORED_RESULT,
    /**
     * In the sharded mode, once round {@code round}'s N results are accepted and before its slice
     * stage, the driver kills the executor (its JVM, through the cluster manager) that holds task
     * {@code task}'s result, asks for a replacement (as the cluster manager starts one after a
     * crash), and waits until the block manager master has dropped the killed one.
     */
    KILL_EXECUTOR_BETWEEN_STAGES,
    /**
     * In the sharded mode, the task of slice {@code task} of round {@code round} halts its
     * executor's JVM before it reads anything: the slice job fails unless Spark retries the task.
     */
    HALT_IN_SLICE,
    /**
     * In the sharded mode, the average of slice {@code task} of round {@code round} is lost once its
     * slice task has kept it (its block removed, as when its executor dies before the driver reads
     * it); the driver then finds it missing.
     */
    LOSE_AVERAGED_SLICE
  }

  /** How long {@link #betweenStages} waits for the killed executor to be gone. */
  private static final long EXECUTOR_GONE_WAIT_MS = 60_000;

  public static final FaultInjection NONE = new FaultInjection(Kind.NONE, -1, -1, null);

  void beforeWork(int r, int t, int attempt) {
    if ((kind != Kind.THROW && kind != Kind.HALT_EXECUTOR && kind != Kind.HANG_TASK) || r != round || t != task
        || !fire()) {
      return;
    }
    switch (kind) {
      case THROW -> throw new IllegalStateException("injected failure in round " + r + " task " + t + " (attempt "
          + attempt + ")");
      case HANG_TASK -> hang();
      default -> Runtime.getRuntime().halt(137);
    }
  }

  /** True (once) when task {@code t}'s stored result of round {@code r} is to be lost. */
  boolean loseStoredResult(int r, int t) {
    return kind == Kind.LOSE_STORED_RESULT && r == round && t == task && fire();
  }

  boolean loseAveragedSlice(int r, int slice) {
    return kind == Kind.LOSE_AVERAGED_SLICE && r == round && slice == task && fire();
  }

  /**
   * On the driver, between a sharded round's result stage and its slice stage, with the round's
   * accepted results: kills the executor of task {@code task} under {@link
   * Kind#KILL_EXECUTOR_BETWEEN_STAGES}.
   */
  void betweenStages(org.apache.spark.SparkContext sc, int r, java.util.Map<Integer, WorkerResult> accepted) {
    if (kind != Kind.KILL_EXECUTOR_BETWEEN_STAGES || r != round || !accepted.containsKey(task) || !fire()) {
      return;
    }
    String executor = accepted.get(task).executor();
    if (!sc.killExecutor(executor)) {
      throw new IllegalStateException("the cluster manager refused to kill executor " + executor);
    }
    // killExecutor lowers the application's executor target; a crash would not.
    sc.requestExecutors(1);
    long until = System.currentTimeMillis() + EXECUTOR_GONE_WAIT_MS;
    while (hasBlockManager(executor)) {
      if (System.currentTimeMillis() > until) {
        throw new IllegalStateException("executor " + executor + " still registered " + EXECUTOR_GONE_WAIT_MS
            + " ms after it was killed");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for executor " + executor + " to die", e);
      }
    }
  }

  private static boolean hasBlockManager(String executor) {
    scala.collection.Iterator<org.apache.spark.storage.BlockManagerId> ids = org.apache.spark.SparkEnv.get()
        .blockManager().master().getMemoryStatus().keysIterator();
    while (ids.hasNext()) {
      if (ids.next().executorId().equals(executor)) {
        return true;
      }
    }
    return false;
  }

  /** In slice task {@code slice} of round {@code r}: halts this executor's JVM under {@link Kind#HALT_IN_SLICE}. */
  void inSlice(int r, int slice) {
    if (kind == Kind.HALT_IN_SLICE && r == round && slice == task && fire()) {
      Runtime.getRuntime().halt(137);
    }
  }

  /** Called by the checkpoint store once part of the checkpoint whose next round is {@code nextRound} is written. */
  public void midCheckpoint(int nextRound) {
    if (kind == Kind.HANG_IN_CHECKPOINT && nextRound == round && fire()) {
      hang();
    }
  }

  /** Creates the marker file; false when it existed (the fault fired before). */
  private boolean fire() {
    try {
      Files.createFile(Path.of(markerFile));
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void hang() {
    try {
      Thread.sleep(Long.MAX_VALUE); // until the test kills the process
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("an injected hang was interrupted", e);
    }
  }
}
