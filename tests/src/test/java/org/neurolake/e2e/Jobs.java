package org.neurolake.e2e;

import picocli.CommandLine;

/** Parses a job's command line the way its main does, for tests that call {@code run(spark, config)}. */
final class Jobs {
  private Jobs() {}

  static <T> T parse(T job, String... args) {
    new CommandLine(job).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
    return job;
  }
}
