package org.neurolake.train;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Failures injected into chosen tasks, for the fault-tolerance tests: a task that throws, an
 * executor JVM that halts, or a point where the process hangs so that a test can kill it there
 * (a task of a round, or the driver in the middle of writing the checkpoint {@code round}). Each
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
    LOSE_STORED_RESULT
  }

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
