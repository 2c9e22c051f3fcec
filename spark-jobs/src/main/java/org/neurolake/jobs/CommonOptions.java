package org.neurolake.jobs;

import org.neurolake.pipelines.table.Lake;
import picocli.CommandLine.Option;

/** Options every job shares. */
public final class CommonOptions {
  @Option(names = "--lake", paramLabel = "URI",
      description = "Root of the data lake: any Hadoop URI or a local path (default: $NEUROLAKE_LAKE or ./lake).")
  String lake;

  @Option(names = "--max-bad-records", paramLabel = "N", defaultValue = "100000",
      description = "Fail (and commit nothing) when more records than this are refused (default: ${DEFAULT-VALUE}).")
  long maxBadRecords;

  @Option(names = "--dry-run", description = "Validate options, config and paths, then stop without doing the work.")
  boolean dryRun;

  public Lake lake() {
    String l = lake != null ? lake : System.getenv().getOrDefault("NEUROLAKE_LAKE", "lake");
    return Lake.parse(l);
  }

  public long maxBadRecords() {
    if (maxBadRecords < 0) {
      throw new IllegalArgumentException("--max-bad-records must be >= 0");
    }
    return maxBadRecords;
  }

  public boolean dryRun() {
    return dryRun;
  }
}
