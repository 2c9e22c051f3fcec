package org.neurolake.pipelines.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Registers lake tables in the session's Spark catalog (a Hive metastore, embedded or external,
 * or Spark's in-memory catalog) so that they can be queried by name, e.g.
 * {@code SELECT * FROM neurolake.evaluations}.
 *
 * <p>Contract:
 * <ul>
 *   <li>A table is registered as an external Parquet table at its lake location
 *       ({@code CREATE TABLE IF NOT EXISTS … USING parquet PARTITIONED BY … LOCATION …}) in
 *       {@code database}; a table without a committed partition (no directory, or only the hidden
 *       leftovers of a failed or killed first job) is not registered, so it never shows as an empty
 *       table.</li>
 *   <li>Its registered partitions are exactly its visible partition directories: registering again
 *       adds new ones and drops vanished ones ({@code MSCK REPAIR TABLE … SYNC PARTITIONS}). Hidden
 *       directories ({@code .name…}: the staging and append directories of {@link PartitionCommitter}
 *       and {@link TableAppender}) are never listed, so a half-written partition is never registered.
 *       Partitions are replaced by rename at the same path, so a registered partition stays valid
 *       across reruns.</li>
 *   <li>Idempotent. Never deletes data: the tables are external. A registered table whose columns no
 *       longer match its {@link TableDef} (the definition changed) is dropped from the catalog and
 *       registered again; a table of the same name at another location (another lake on the same
 *       metastore), or a managed one, is an error naming both.</li>
 *   <li>A lake moved or copied to another path keeps its data but its catalog entries still name the
 *       old location: registration refuses them (as another lake's) until {@link #repair} re-registers
 *       this lake's tables here ({@code bin/pipeline catalog repair}).</li>
 *   <li>An embedded Derby metastore serves one JVM at a time: while another job holds it, the
 *       registration is retried until {@code metastoreLockWait} has elapsed, then fails.</li>
 * </ul>
 */
public final class LakeCatalog {
  /** The database the lake's tables are registered in unless configured otherwise. */
  public static final String DEFAULT_DATABASE = "neurolake";

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,127}");
  private static final String DERBY_LOCKED = "Another instance of Derby may have already booted the database";
  private static final Duration LOCK_RETRY_PAUSE = Duration.ofSeconds(5);

  private final SparkSession spark;
  private final Lake lake;
  private final String database;
  private final Duration metastoreLockWait;

  /** What one registration did. */
  public record Registration(String table, int partitions, boolean reregistered) {}

  public LakeCatalog(SparkSession spark, Lake lake, String database, Duration metastoreLockWait) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.lake = Objects.requireNonNull(lake, "lake");
    this.database = requireDatabaseName(database);
    this.metastoreLockWait = Objects.requireNonNull(metastoreLockWait, "metastoreLockWait");
  }

  /** Throws a clear error unless {@code name} can name the catalog database. */
  public static String requireDatabaseName(String name) {
    if (name == null || !DATABASE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a valid catalog database name: use lower-case"
          + " letters, digits and '_', starting with a letter or '_'");
    }
    return name;
  }

  public String database() {
    return database;
  }

  /** {@code database.table}, the name queries use. */
  public String qualifiedName(TableDef table) {
    return database + "." + table.name();
  }

  /** Registers every table of {@link LakeTables#ALL} that exists in the lake. */
  public List<Registration> registerAll() {
    return register(LakeTables.ALL);
  }

  /** Registers those of {@code tables} that exist in the lake (in order); returns what was registered. */
  public List<Registration> register(Collection<TableDef> tables) {
    return withMetastore(() -> {
      spark.sql("CREATE DATABASE IF NOT EXISTS `" + database + "`");
      List<Registration> done = new ArrayList<>();
      for (TableDef t : tables) {
        Path location = qualifiedLocation(t);
        if (hasCommittedPartition(location, t.partitionColumns().size())) {
          done.add(registerOne(t, location));
        }
      }
      return done;
    });
  }

  /**
   * Re-registers the lake's tables at its current location: catalog entries of {@link LakeTables#ALL}
   * at another location (this lake before it was moved or copied) are dropped (they are external:
   * no data is touched) and the tables of this lake registered here. Returns what was registered;
   * {@code reregistered} marks the tables that pointed elsewhere.
   */
  public List<Registration> repair() {
    return withMetastore(() -> {
      spark.sql("CREATE DATABASE IF NOT EXISTS `" + database + "`");
      List<Registration> done = new ArrayList<>();
      for (TableDef t : LakeTables.ALL) {
        Path location = qualifiedLocation(t);
        boolean moved = false;
        if (spark.catalog().tableExists(database, t.name())) {
          String name = "`" + database + "`.`" + t.name() + "`";
          Map<String, String> info = tableInformation(name);
          if (!qualify(new Path(info.getOrDefault("Location", ""))).equals(location)) {
            requireExternal(t, info, location);
            spark.sql("DROP TABLE " + name);
            moved = true;
          }
        }
        if (hasCommittedPartition(location, t.partitionColumns().size())) {
          Registration r = registerOne(t, location);
          done.add(new Registration(r.table(), r.partitions(), r.reregistered() || moved));
        }
      }
      return done;
    });
  }

  private void requireExternal(TableDef table, Map<String, String> info, Path location) {
    if (!"EXTERNAL".equalsIgnoreCase(info.get("Type"))) {
      throw new IllegalStateException("catalog table " + qualifiedName(table) + " at " + location + " is "
          + info.get("Type") + ", not EXTERNAL; refusing to touch it (dropping a managed table deletes its data)");
    }
  }

  private Registration registerOne(TableDef table, Path location) {
    String name = "`" + database + "`.`" + table.name() + "`";
    boolean reregistered = false;
    if (spark.catalog().tableExists(database, table.name())) {
      Map<String, String> info = tableInformation(name);
      Path registeredAt = qualify(new Path(info.getOrDefault("Location", "")));
      if (!registeredAt.equals(location)) {
        throw new IllegalStateException("catalog table " + qualifiedName(table) + " is registered at " + registeredAt
            + ", not at this lake's " + location + ": another lake uses database '" + database
            + "' on this metastore; choose another catalog database for this lake, or, if this lake was moved or"
            + " copied from there, run 'bin/pipeline catalog repair' on it");
      }
      requireExternal(table, info, location);
      if (!columns(spark.table(name).schema()).equals(columns(table.fullSchema()))) {
        spark.sql("DROP TABLE " + name);
        reregistered = true;
      }
    }
    spark.sql("CREATE TABLE IF NOT EXISTS " + name + " (" + columnDdl(table) + ") USING parquet PARTITIONED BY ("
        + String.join(", ", table.partitionColumns().stream().map(c -> "`" + c + "`").toList()) + ") LOCATION "
        + stringLiteral(location.toString()));
    spark.sql("MSCK REPAIR TABLE " + name + " SYNC PARTITIONS");
    spark.sql("REFRESH TABLE " + name);
    int partitions = (int) spark.sql("SHOW PARTITIONS " + name).count();
    return new Registration(qualifiedName(table), partitions, reregistered);
  }

  /** The "# Detailed Table Information" block of DESCRIBE TABLE EXTENDED: Location, Type, Provider, ... */
  private Map<String, String> tableInformation(String name) {
    Map<String, String> info = new HashMap<>();
    boolean detail = false;
    for (Row r : spark.sql("DESCRIBE TABLE EXTENDED " + name).collectAsList()) {
      String key = r.isNullAt(0) ? "" : r.getString(0).trim();
      if (key.equals("# Detailed Table Information")) {
        detail = true;
      } else if (detail && !key.isEmpty() && !r.isNullAt(1)) {
        info.put(key, r.getString(1).trim());
      }
    }
    return info;
  }

  private static String columnDdl(TableDef table) {
    List<String> cols = new ArrayList<>();
    for (StructField f : table.fullSchema().fields()) {
      cols.add("`" + f.name() + "` " + f.dataType().sql());
    }
    return String.join(", ", cols);
  }

  /** Column names and types as a catalog reports them (nullability is not kept by every metastore). */
  private static List<String> columns(StructType schema) {
    List<String> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      cols.add(f.name().toLowerCase(java.util.Locale.ROOT) + " " + f.dataType().catalogString());
    }
    return cols;
  }

  private static String stringLiteral(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private Path qualifiedLocation(TableDef table) {
    return qualify(lake.tablePath(table));
  }

  private Path qualify(Path p) {
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + p, e);
    }
  }

  /** Whether {@code dir} holds a visible partition directory {@code depth} levels down. */
  private boolean hasCommittedPartition(Path dir, int depth) {
    try {
      FileSystem fs = dir.getFileSystem(spark.sparkContext().hadoopConfiguration());
      return hasVisibleDirectory(fs, dir, depth);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + dir, e);
    }
  }

  private static boolean hasVisibleDirectory(FileSystem fs, Path dir, int depth) throws IOException {
    if (!fs.exists(dir)) {
      return false;
    }
    if (depth == 0) {
      return true;
    }
    for (org.apache.hadoop.fs.FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isDirectory() && !name.startsWith(".") && !name.startsWith("_")
          && hasVisibleDirectory(fs, s.getPath(), depth - 1)) {
        return true;
      }
    }
    return false;
  }

  private <T> T withMetastore(Supplier<T> work) {
    return retryWhileDerbyLocked(work, metastoreLockWait, LOCK_RETRY_PAUSE, System.err::println);
  }

  /**
   * Runs {@code work}, and again after {@code pause} each time it fails because an embedded Derby
   * metastore is held by another JVM, until {@code wait} has elapsed; other failures pass through.
   * The wait is reported once to {@code notice}, however many attempts it takes (the metastore
   * client's own stack traces of each attempt are silenced in conf/log4j2.properties).
   */
  static <T> T retryWhileDerbyLocked(Supplier<T> work, Duration wait, Duration pause, Consumer<String> notice) {
    long deadline = System.nanoTime() + wait.toNanos();
    boolean told = false;
    while (true) {
      try {
        return work.get();
      } catch (Exception e) { // Spark's AnalysisException is checked, and thrown without being declared
        if (!isDerbyLocked(e)) {
          throw e;
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new IllegalStateException("the embedded metastore is in use by another process (Derby allows one"
              + " at a time) and stayed so for " + wait.toSeconds() + " s; run jobs on this lake one at a time or"
              + " configure an external metastore", e);
        }
        if (!told) {
          notice.accept("catalog: waiting for the catalog lock: the embedded metastore is in use by another process"
              + " (up to " + wait.toSeconds() + " s, --metastore-wait)");
          told = true;
        }
        sleep(pause);
      }
    }
  }

  static boolean isDerbyLocked(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && c.getMessage().contains(DERBY_LOCKED)) {
        return true;
      }
    }
    return false;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the metastore", e);
    }
  }
}
