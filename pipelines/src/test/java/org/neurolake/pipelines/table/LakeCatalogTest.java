package org.neurolake.pipelines.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registration in an embedded Hive metastore (Derby), as the jobs do it, and queries by name. */
class LakeCatalogTest {
  @TempDir static Path dir;
  static SparkSession spark;

  static SparkSession hiveSession() {
    return SparkSession.builder().master("local[2]").appName("catalog-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.catalogImplementation", "hive")
        .config("spark.hadoop.javax.jdo.option.ConnectionURL",
            "jdbc:derby:;databaseName=" + dir.resolve("catalog/metastore_db") + ";create=true")
        .config("spark.sql.warehouse.dir", dir.resolve("catalog/warehouse").toUri().toString())
        .getOrCreate();
  }

  @BeforeAll
  static void start() {
    System.setProperty("derby.stream.error.file", dir.resolve("derby.log").toString());
    spark = hiveSession();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Lake lake(String name) {
    return Lake.parse(dir.resolve(name).toString());
  }

  private static LakeCatalog catalog(Lake lake, String database) {
    return new LakeCatalog(spark, lake, database, Duration.ZERO);
  }

  private static Dataset<Row> evaluations(String runId, double... values) {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<Row> rows = java.util.stream.IntStream.range(0, values.length)
        .mapToObj(i -> RowFactory.create(runId, "blobs", "test", "accuracy", values[i], i + 1, now)).toList();
    return spark.createDataFrame(rows, LakeTables.EVALUATIONS.dataSchema());
  }

  private static Dataset<Row> quarantine(String... reasons) {
    return spark.createDataFrame(Stream.of(reasons).map(r -> RowFactory.create("f", "l", r, null, null)).toList(),
        LakeTables.QUARANTINE.dataSchema());
  }

  private static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }

  @Test
  void registersCommittedPartitionsOnlyAndANewSessionQueriesThemByName() {
    Lake lake = lake("roundtrip");
    TableAppender appender = new TableAppender(spark.sparkContext().hadoopConfiguration());
    PartitionCommitter committer = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    appender.append(evaluations("r1", 0.5, 0.7), lake, LakeTables.EVALUATIONS, PartitionKey.of(LakeTables.EVALUATIONS, "mlp"));
    committer.replace(quarantine("bad", "worse"), lake, LakeTables.QUARANTINE,
        PartitionKey.of(LakeTables.QUARANTINE, "documents", "imdb"));
    // A partition being written: staged, not committed. It must stay invisible to the catalog.
    PartitionCommitter.Staged pending = committer.stage(evaluations("r2", 0.9), lake, LakeTables.EVALUATIONS,
        PartitionKey.of(LakeTables.EVALUATIONS, "lfads"));

    List<LakeCatalog.Registration> done = catalog(lake, "roundtrip").registerAll();
    assertEquals(List.of(new LakeCatalog.Registration("roundtrip.quarantine", 1, false),
        new LakeCatalog.Registration("roundtrip.evaluations", 1, false)), done);
    assertEquals(2, count("SELECT count(*) FROM roundtrip.evaluations WHERE model = 'mlp'"));
    assertEquals(0, count("SELECT count(*) FROM roundtrip.evaluations WHERE model = 'lfads'"));
    // Partition columns named like SQL keywords (table) are filtered through the metastore too.
    assertEquals(2, count("SELECT count(*) FROM roundtrip.quarantine WHERE `table` = 'documents' AND dataset = 'imdb'"));

    pending.commit();
    catalog(lake, "roundtrip").registerAll();

    // A new session (a new SparkContext and Hive client) on the same metastore sees the tables by name.
    spark.stop();
    spark = hiveSession();
    assertEquals(3, count("SELECT count(*) FROM roundtrip.evaluations"));
    Row best = spark.sql("SELECT run_id, max(value) FROM roundtrip.evaluations GROUP BY run_id ORDER BY run_id DESC")
        .first();
    assertEquals("r2", best.getString(0));
    assertEquals(0.9, best.getDouble(1), 1e-12);
  }

  @Test
  void registeringAgainFollowsReplacedAppendedAndDeletedPartitions() throws Exception {
    Lake lake = lake("sync");
    LakeCatalog catalog = catalog(lake, "sync");
    PartitionCommitter committer = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    TableAppender appender = new TableAppender(spark.sparkContext().hadoopConfiguration());
    committer.replace(quarantine("a"), lake, LakeTables.QUARANTINE, PartitionKey.of(LakeTables.QUARANTINE, "t", "one"));
    committer.replace(quarantine("b", "c"), lake, LakeTables.QUARANTINE, PartitionKey.of(LakeTables.QUARANTINE, "t", "two"));
    assertEquals(List.of(new LakeCatalog.Registration("sync.quarantine", 2, false)),
        catalog.register(List.of(LakeTables.QUARANTINE)));
    assertEquals(List.of(new LakeCatalog.Registration("sync.quarantine", 2, false)),
        catalog.register(List.of(LakeTables.QUARANTINE)), "idempotent");
    assertEquals(3, count("SELECT count(*) FROM sync.quarantine"));

    committer.replace(quarantine("d", "e", "f"), lake, LakeTables.QUARANTINE, PartitionKey.of(LakeTables.QUARANTINE, "t", "one"));
    deleteRecursively(dir.resolve("sync/quarantine/table=t/dataset=two"));
    appender.append(evaluations("r", 0.1), lake, LakeTables.EVALUATIONS, PartitionKey.of(LakeTables.EVALUATIONS, "m"));
    catalog.registerAll();
    assertEquals(List.of("table=t/dataset=one"),
        spark.sql("SHOW PARTITIONS sync.quarantine").collectAsList().stream().map(r -> r.getString(0)).toList());
    assertEquals(3, count("SELECT count(*) FROM sync.quarantine"));

    appender.append(evaluations("r", 0.2, 0.3), lake, LakeTables.EVALUATIONS, PartitionKey.of(LakeTables.EVALUATIONS, "m"));
    catalog.register(List.of(LakeTables.EVALUATIONS));
    assertEquals(3, count("SELECT count(*) FROM sync.evaluations"), "an append to a registered partition is seen");
  }

  @Test
  void tablesNeverWrittenAreNotRegistered() {
    Lake lake = lake("sparse");
    new TableAppender(spark.sparkContext().hadoopConfiguration()).append(evaluations("r", 0.5), lake,
        LakeTables.EVALUATIONS, PartitionKey.of(LakeTables.EVALUATIONS, "mlp"));
    assertEquals(List.of("sparse.evaluations"),
        catalog(lake, "sparse").registerAll().stream().map(LakeCatalog.Registration::table).toList());
    assertFalse(spark.catalog().tableExists("sparse", "documents"));
    assertFalse(Files.exists(dir.resolve("sparse/documents")), "registration creates no table directories");
  }

  @Test
  void aTableWhoseFirstJobWasKilledIsNotRegistered() throws Exception {
    Lake lake = lake("killed");
    // What a job killed while staging the first documents partition of a fresh lake leaves behind.
    Files.createDirectories(dir.resolve("killed/documents/.source=imdb.staging-0f0e0d0c-0b0a-0908-0706-050403020100"));
    // And one killed before renaming its first partition of a two-level table into place.
    Files.createDirectories(dir.resolve("killed/lfads_outputs/run_id=r1/.session=s.staging-x"));
    assertEquals(List.of(), catalog(lake, "killed").registerAll());
    assertFalse(spark.catalog().tableExists("killed", "documents"), "not an empty documents table");
    assertFalse(spark.catalog().tableExists("killed", "lfads_outputs"));
  }

  @Test
  void aTableOfAnotherLakeInTheSameDatabaseIsAnError() {
    Lake first = lake("first");
    Lake second = lake("second");
    TableAppender appender = new TableAppender(spark.sparkContext().hadoopConfiguration());
    for (Lake l : List.of(first, second)) {
      appender.append(evaluations("r", 0.5), l, LakeTables.EVALUATIONS, PartitionKey.of(LakeTables.EVALUATIONS, "mlp"));
    }
    catalog(first, "shared").registerAll();
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> catalog(second, "shared").registerAll());
    assertTrue(e.getMessage().startsWith("catalog table shared.evaluations is registered at file:" + dir.resolve("first")),
        e.getMessage());
    assertTrue(e.getMessage().contains("another lake uses database 'shared'"), e.getMessage());
    assertEquals(1, catalog(second, "shared_second").registerAll().size(), "another database works");
  }

  @Test
  void aMovedLakeIsUsableAfterCatalogRepair() throws Exception {
    Lake before = lake("before-move");
    new TableAppender(spark.sparkContext().hadoopConfiguration()).append(evaluations("r", 0.5, 0.6), before,
        LakeTables.EVALUATIONS, PartitionKey.of(LakeTables.EVALUATIONS, "mlp"));
    catalog(before, "moved").registerAll();
    Files.move(dir.resolve("before-move"), dir.resolve("after-move"));
    Lake after = lake("after-move");

    IllegalStateException e = assertThrows(IllegalStateException.class, () -> catalog(after, "moved").registerAll());
    assertTrue(e.getMessage().endsWith("run 'bin/pipeline catalog repair' on it"), e.getMessage());
    assertEquals(List.of(new LakeCatalog.Registration("moved.evaluations", 1, true)), catalog(after, "moved").repair());
    assertEquals(2, count("SELECT count(*) FROM moved.evaluations"));
    assertEquals(List.of(new LakeCatalog.Registration("moved.evaluations", 1, false)),
        catalog(after, "moved").registerAll(), "registration works again");
  }

  @Test
  void aChangedTableDefinitionIsRegisteredAgainWithoutTouchingData() {
    Lake lake = lake("evolve");
    StructType v1 = new StructType().add("x", DataTypes.IntegerType, false);
    TableDef before = new TableDef("probe", v1, List.of(DataTypes.createStructField("run_id", DataTypes.StringType, false)));
    PartitionCommitter committer = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    committer.replace(spark.createDataFrame(List.of(RowFactory.create(1), RowFactory.create(2)), v1), lake, before,
        PartitionKey.of(before, "a"));
    LakeCatalog catalog = catalog(lake, "evolve");
    assertEquals(List.of(new LakeCatalog.Registration("evolve.probe", 1, false)), catalog.register(List.of(before)));

    StructType v2 = v1.add(new StructField("y", DataTypes.DoubleType, true, org.apache.spark.sql.types.Metadata.empty()));
    TableDef after = new TableDef("probe", v2, before.partitionFields());
    assertEquals(List.of(new LakeCatalog.Registration("evolve.probe", 1, true)), catalog.register(List.of(after)));
    List<Row> rows = spark.sql("SELECT x, y, run_id FROM evolve.probe ORDER BY x").collectAsList();
    assertEquals(2, rows.size(), "the data outlived the re-registration");
    assertTrue(rows.get(0).isNullAt(1));
    assertEquals("a", rows.get(1).getString(2));
  }

  @Test
  void invalidDatabaseNamesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LakeCatalog(spark, lake("x"), "Bad-Name", Duration.ZERO));
    assertTrue(e.getMessage().startsWith("'Bad-Name' is not a valid catalog database name"), e.getMessage());
  }

  @Test
  void recognisesADerbyMetastoreHeldByAnotherProcess() {
    Exception locked = new RuntimeException("metastore", new IllegalStateException("Failed to start database",
        new Exception("Another instance of Derby may have already booted the database /x/metastore_db.")));
    assertTrue(LakeCatalog.isDerbyLocked(locked));
    assertFalse(LakeCatalog.isDerbyLocked(new RuntimeException("table not found")));
  }

  @Test
  void retriesWhileTheMetastoreIsHeldThenGivesUpWithTheReason() {
    RuntimeException locked = new RuntimeException("Unable to instantiate SessionHiveMetaStoreClient",
        new RuntimeException("Another instance of Derby may have already booted the database /x/metastore_db."));
    // As Spark throws it: a checked AnalysisException, undeclared, wrapping the metastore client's failure.
    Exception lockedChecked = new Exception("org.apache.hadoop.hive.ql.metadata.HiveException", locked);
    int[] calls = {0};
    List<String> notices = new java.util.ArrayList<>();
    assertEquals("done", LakeCatalog.retryWhileDerbyLocked(() -> {
      if (++calls[0] < 5) {
        throw LakeCatalogTest.<RuntimeException>sneaky(calls[0] % 2 == 0 ? locked : lockedChecked);
      }
      return "done";
    }, Duration.ofMinutes(1), Duration.ZERO, notices::add));
    assertEquals(5, calls[0]);
    assertEquals(List.of("catalog: waiting for the catalog lock: the embedded metastore is in use by another process"
        + " (up to 60 s, --metastore-wait)"), notices, "one line for the whole wait, not one per attempt");

    IllegalStateException gaveUp = assertThrows(IllegalStateException.class,
        () -> LakeCatalog.retryWhileDerbyLocked(() -> {
          throw locked;
        }, Duration.ofMillis(50), Duration.ofMillis(10), notices::add));
    assertTrue(gaveUp.getMessage().startsWith("the embedded metastore is in use by another process"), gaveUp.getMessage());
    assertEquals(locked, gaveUp.getCause());

    calls[0] = 0;
    RuntimeException other = new RuntimeException("table not found");
    assertEquals(other, assertThrows(RuntimeException.class, () -> LakeCatalog.retryWhileDerbyLocked(() -> {
      calls[0]++;
      throw other;
    }, Duration.ofMinutes(1), Duration.ZERO, notices::add)));
    assertEquals(1, calls[0], "other failures are not retried");
  }

  @SuppressWarnings("unchecked")
  private static <E extends Exception> E sneaky(Exception e) throws E {
    throw (E) e;
  }

  private static void deleteRecursively(Path p) throws Exception {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
