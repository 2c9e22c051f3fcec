package org.neurolake.jobs;

import java.time.Duration;
import org.apache.spark.SparkConf;
import org.neurolake.pipelines.quarantine.BadRecordPolicy;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeCatalog;
import picocli.CommandLine.Option;

/** Options every job shares. */
public final class CommonOptions {
  @Option(names = "--lake", paramLabel = "URI",
      description = "Root of the data lake: any Hadoop URI or a local path (default: $NEUROLAKE_LAKE or ./lake).")
  String lake;

  @Option(names = "--max-bad-records", paramLabel = "N", defaultValue = "100000",
      description = "Fail (and commit nothing) when more records than this are refused (default: ${DEFAULT-VALUE}).")
  long maxBadRecords;

  @Option(names = "--max-bad-fraction", paramLabel = "F", defaultValue = "0.1",
      description = "Fail (and commit nothing) when more than this share of the records read are refused"
          + " (default: ${DEFAULT-VALUE}).")
  double maxBadFraction;

  @Option(names = "--allow-empty-replace",
      description = "Let a run that keeps no record commit an empty partition (replacing the existing one).")
  boolean allowEmptyReplace;

  @Option(names = "--dry-run", description = "Validate options, config and paths, then stop without doing the work.")
  boolean dryRun;

  @Option(names = "--metastore", paramLabel = "URI",
      description = "External Hive metastore to register tables in (thrift://host:9083). Default: "
          + CatalogSettings.METASTORE_URIS + " when set, else an embedded one in <lake>/_catalog.")
  String metastore;

  @Option(names = "--catalog-database", paramLabel = "NAME", defaultValue = LakeCatalog.DEFAULT_DATABASE,
      description = "Catalog database of this lake's tables (default: ${DEFAULT-VALUE}).")
  String catalogDatabase;

  @Option(names = "--no-catalog", description = "Register no tables in a persistent catalog.")
  boolean noCatalog;

  @Option(names = "--metastore-wait", paramLabel = "SECONDS", defaultValue = "600",
      description = "How long to wait for an embedded metastore another process holds (default: ${DEFAULT-VALUE}).")
  long metastoreWaitSeconds;

  public Lake lake() {
    String l = lake != null ? lake : System.getenv().getOrDefault("NEUROLAKE_LAKE", "lake");
    return Lake.parse(l);
  }

  /** What an ingestion job accepts of bad input before it commits nothing. */
  public BadRecordPolicy badRecordPolicy() {
    return new BadRecordPolicy(maxBadRecords, maxBadFraction, allowEmptyReplace);
  }

  public boolean dryRun() {
    return dryRun;
  }

  /** Where written tables are registered; an external metastore may also come from the Spark configuration. */
  public CatalogSettings catalog() {
    return CatalogSettings.resolve(lake(), metastore, new SparkConf().get(CatalogSettings.METASTORE_URIS, null),
        noCatalog, catalogDatabase, Duration.ofSeconds(metastoreWaitSeconds));
  }
}
