package org.neurolake.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** The benchmarks' scratch space: {@code -Dneurolake.bench.dir} (bin/bench sets it), else ./bench-work. */
final class BenchWork {
  private BenchWork() {}

  static Path root() {
    return Path.of(System.getProperty("neurolake.bench.dir", "bench-work")).toAbsolutePath();
  }

  /**
   * {@code root()/name}, emptied: a benchmark that trains must not find an earlier invocation's
   * run there, which it would resume (or, finished, skip) instead of measuring.
   */
  static Path fresh(String name) throws IOException {
    Path dir = root().resolve(name);
    deleteTree(dir);
    return Files.createDirectories(dir);
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(f);
      }
    }
  }
}
