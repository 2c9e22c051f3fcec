package org.neurolake.jobs;

import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeCatalog;
import org.neurolake.pipelines.table.TableDef;

/**
 * Where a job registers the tables it writes, and the Spark settings that make its session use
 * that catalog:
 * <ul>
 *   <li>{@link Kind#EMBEDDED} (default for a lake on the local file system): a Derby Hive metastore
 *       in {@code <lake>/_catalog/metastore_db}, warehouse {@code <lake>/_catalog/warehouse}. One
 *       process at a time can use it; others wait up to {@code metastoreLockWait}.</li>
 *   <li>{@link Kind#EXTERNAL}: a Hive metastore service ({@code --metastore thrift://host:9083}, or
 *       {@code spark.hadoop.hive.metastore.uris} in the Spark configuration).</li>
 *   <li>{@link Kind#SESSION} ({@code --no-catalog}): nothing persistent; jobs register nothing and
 *       {@code query} registers the tables in the session's in-memory catalog only.</li>
 * </ul>
 */
public record CatalogSettings(Kind kind, Lake lake, String metastoreUri, String database, Duration metastoreLockWait) {
  /** The kinds of catalog. */
  public enum Kind { EMBEDDED, EXTERNAL, SESSION }

  /** The Spark property naming an external metastore, as spark-submit and spark-defaults.conf pass it. */
  public static final String METASTORE_URIS = "spark.hadoop.hive.metastore.uris";

  public CatalogSettings {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(lake, "lake");
    LakeCatalog.requireDatabaseName(database);
    Objects.requireNonNull(metastoreLockWait, "metastoreLockWait");
    if (metastoreLockWait.isNegative()) {
      throw new IllegalArgumentException("--metastore-wait must be >= 0 seconds");
    }
    if (kind == Kind.EXTERNAL && (metastoreUri == null || !metastoreUri.matches("thrift://[^\\s,]+(,thrift://[^\\s,]+)*"))) {
      throw new IllegalArgumentException("an external metastore is given as thrift://host:port[,thrift://host:port...],"
          + " not '" + metastoreUri + "'");
    }
    if (kind == Kind.EMBEDDED && !"file".equals(lake.root().getScheme())) {
      throw new IllegalArgumentException("the lake " + lake.root() + " is not on the local file system, and the embedded"
          + " (Derby) metastore must be: configure an external metastore (--metastore thrift://host:9083 or "
          + METASTORE_URIS + ") or pass --no-catalog");
    }
  }

  /**
   * The settings for {@code lake}: an external metastore when {@code metastoreOption} or the Spark
   * configuration ({@code configuredUris}) names one, no catalog when {@code disabled}, else embedded.
   */
  public static CatalogSettings resolve(Lake lake, String metastoreOption, String configuredUris, boolean disabled,
      String database, Duration metastoreLockWait) {
    if (disabled) {
      if (metastoreOption != null) {
        throw new IllegalArgumentException("--no-catalog and --metastore exclude each other");
      }
      return new CatalogSettings(Kind.SESSION, lake, null, database, metastoreLockWait);
    }
    String uris = metastoreOption != null ? metastoreOption : configuredUris;
    if (uris != null && !uris.isBlank()) {
      return new CatalogSettings(Kind.EXTERNAL, lake, uris.trim(), database, metastoreLockWait);
    }
    return new CatalogSettings(Kind.EMBEDDED, lake, null, database, metastoreLockWait);
  }

  /** {@code <lake>/_catalog}: the embedded metastore's folder. */
  public java.nio.file.Path embeddedDirectory() {
    return Paths.get(lake.root()).resolve("_catalog");
  }

  /** Spark settings for the job's session (applied where the user has not set them). */
  public Map<String, String> sparkSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    switch (kind) {
      case EMBEDDED -> {
        s.put("spark.sql.catalogImplementation", "hive");
        s.put("spark.hadoop.javax.jdo.option.ConnectionURL",
            "jdbc:derby:;databaseName=" + embeddedDirectory().resolve("metastore_db") + ";create=true");
        s.put("spark.sql.warehouse.dir", embeddedDirectory().resolve("warehouse").toUri().toString());
        // A metastore held by another process is waited for by LakeCatalog, with one notice; the metastore
        // client's own retries (10 by default, each a page of stack traces) would only delay that.
        s.put("spark.hadoop.hive.hmshandler.retry.attempts", "1");
      }
      case EXTERNAL -> {
        s.put("spark.sql.catalogImplementation", "hive");
        s.put(METASTORE_URIS, metastoreUri);
      }
      case SESSION -> s.put("spark.sql.catalogImplementation", "in-memory");
    }
    return s;
  }

  /**
   * Derby writes its log to {@code ./derby.log} unless told otherwise, and it reads that setting only
   * from a JVM system property: point it into the catalog folder, unless the user chose a place.
   */
  void configureDerbyLog() {
    if (kind == Kind.EMBEDDED && System.getProperty("derby.stream.error.file") == null) {
      try {
        java.nio.file.Files.createDirectories(embeddedDirectory());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot create the catalog folder " + embeddedDirectory(), e);
      }
      System.setProperty("derby.stream.error.file", embeddedDirectory().resolve("derby.log").toString());
    }
  }

  /** One line for logs and dry runs. */
  public String describe() {
    return switch (kind) {
      case EMBEDDED -> "embedded metastore " + embeddedDirectory().resolve("metastore_db") + ", database " + database;
      case EXTERNAL -> "metastore " + metastoreUri + ", database " + database;
      case SESSION -> "no persistent catalog (--no-catalog)";
    };
  }

  /** The catalog of {@code spark} (a session built with {@link #sparkSettings()}). */
  public LakeCatalog open(SparkSession spark) {
    return new LakeCatalog(spark, lake, database, metastoreLockWait);
  }

  /**
   * Registers {@code tables} (those written) after a job's commits, and prints what it did; with
   * {@link Kind#SESSION} it registers nothing.
   */
  public void registerWritten(SparkSession spark, TableDef... tables) {
    if (kind == Kind.SESSION) {
      System.out.println("catalog: not registering " + names(tables) + " (--no-catalog)");
      return;
    }
    for (LakeCatalog.Registration r : open(spark).register(List.of(tables))) {
      System.out.printf("catalog: %s registered (%d partition%s%s) in the %s%n", r.table(), r.partitions(),
          r.partitions() == 1 ? "" : "s", r.reregistered() ? ", definition changed" : "", describe());
    }
  }

  private static String names(TableDef... tables) {
    return String.join(", ", java.util.Arrays.stream(tables).map(TableDef::name).toList());
  }
}
