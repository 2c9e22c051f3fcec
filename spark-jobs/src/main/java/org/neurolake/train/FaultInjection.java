package org.neurolake.train;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Failures injected into chosen tasks, for the fault-tolerance tests: a task that throws, or an
 * executor JVM that halts. Each fires once, guarded by a marker file that the first firing creates
 * (so a retried or later task does not fire again).
 */
public record FaultInjection(Kind kind, int round, int task, String markerFile) implements Serializable {
  public enum Kind { NONE, THROW, HALT_EXECUTOR }

  public static final FaultInjection NONE = new FaultInjection(Kind.NONE, -1, -1, null);

  void beforeWork(int r, int t, int attempt) {
    if (kind == Kind.NONE || r != round || t != task) {
      return;
    }
    try {
      Files.createFile(Path.of(markerFile));
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return; // fired before
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (kind == Kind.THROW) {
      throw new IllegalStateException("injected failure in round " + r + " task " + t + " (attempt " + attempt + ")");
    }
    Runtime.getRuntime().halt(137);
  }
}
