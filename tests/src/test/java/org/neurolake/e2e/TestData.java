package org.neurolake.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Where the real third-party data lives: $DATA_ROOT, else ../shared/data beside the project.
 * Tests that need it are skipped (reported) when it is absent, unless REQUIRE_DATA=1, which
 * .ci/run sets: there a missing data root fails the build instead of passing silently.
 */
final class TestData {
  private TestData() {}

  static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("bin/pipeline"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the project root (bin/pipeline) above " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  /**
   * $DATA_ROOT, else ../shared/data beside the project, whether or not it exists. A value that is
   * an unresolved build property (a "${...}" a build tool passed on as text) counts as unset.
   */
  static Path configuredRoot() {
    String env = System.getenv("DATA_ROOT");
    return env != null && !env.isBlank() && !env.contains("${") ? Path.of(env).toAbsolutePath()
        : projectRoot().resolve("../shared/data").normalize();
  }

  static Path root() {
    Path root = configuredRoot();
    if (!Files.isDirectory(root)) {
      String msg = "data root " + root + " is missing (set DATA_ROOT)";
      if ("1".equals(System.getenv("REQUIRE_DATA"))) {
        throw new IllegalStateException(msg + " and REQUIRE_DATA=1");
      }
      Assumptions.abort(msg);
    }
    return root;
  }
}
