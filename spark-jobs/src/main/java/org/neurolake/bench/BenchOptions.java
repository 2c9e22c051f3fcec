package org.neurolake.bench;

import picocli.CommandLine;

/** A benchmark's picocli options, parsed from its arguments. */
final class BenchOptions {
  private BenchOptions() {}

  /** Parses {@code args} into {@code options}; on a bad argument prints one line and exits with code 2. */
  static <T> T parse(T options, String[] args) {
    try {
      new CommandLine(options).parseArgs(args);
      return options;
    } catch (CommandLine.ParameterException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      throw e;
    }
  }
}
