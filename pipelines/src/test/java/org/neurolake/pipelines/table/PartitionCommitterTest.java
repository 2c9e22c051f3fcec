package org.neurolake.pipelines.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.testing.Fixtures;
import org.neurolake.pipelines.testing.LocalSpark;

class PartitionCommitterTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Dataset<Row> quarantineRows(String... reasons) {
    return spark.createDataFrame(java.util.Arrays.stream(reasons).map(r -> RowFactory.create("f", "l", r, null, null)).toList(),
        LakeTables.QUARANTINE.dataSchema());
  }

  @Test
  void stagedDataIsInvisibleUntilCommitThenReplacesThePartition() throws Exception {
    Lake lake = Lake.parse(dir.toString());
    PartitionCommitter c = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    PartitionKey key = PartitionKey.of(LakeTables.QUARANTINE, "documents", "a");
    c.replace(quarantineRows("one", "two"), lake, LakeTables.QUARANTINE, key);
    assertEquals(2, TableReader.read(spark, lake, LakeTables.QUARANTINE).count());

    PartitionCommitter.Staged staged = c.stage(quarantineRows("three"), lake, LakeTables.QUARANTINE, key);
    // Readers still see the old version while the new one is staged (hidden dot-directory).
    assertEquals(2, TableReader.read(spark, lake, LakeTables.QUARANTINE).count());
    staged.commit();
    List<Row> rows = TableReader.read(spark, lake, LakeTables.QUARANTINE).collectAsList();
    assertEquals(1, rows.size());
    assertEquals("three", rows.get(0).getString(2));
    assertEquals("documents", rows.get(0).getString(5));
    assertEquals("a", rows.get(0).getString(6));
    try (var children = Files.list(dir.resolve("quarantine/table=documents"))) {
      assertEquals(List.of("dataset=a"), children.map(p -> p.getFileName().toString()).toList());
    }
    assertThrows(IllegalStateException.class, staged::commit);
  }

  @Test
  void abortLeavesTheVisiblePartitionUntouched() throws Exception {
    Lake lake = Lake.parse(dir.toString());
    PartitionCommitter c = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    PartitionKey key = PartitionKey.of(LakeTables.QUARANTINE, "documents", "b");
    c.replace(quarantineRows("keep"), lake, LakeTables.QUARANTINE, key);
    c.stage(quarantineRows("drop", "drop"), lake, LakeTables.QUARANTINE, key).abort();
    assertEquals(1, TableReader.read(spark, lake, LakeTables.QUARANTINE).count());
    try (var children = Files.list(dir.resolve("quarantine/table=documents"))) {
      assertEquals(1, children.count());
    }
  }

  private static PartitionLock.Settings lockWait(Duration wait) {
    return new PartitionLock.Settings(Duration.ofMinutes(1), wait, Duration.ofMillis(20));
  }

  private List<String> reasons(Lake lake) {
    return TableReader.read(spark, lake, LakeTables.QUARANTINE).collectAsList().stream().map(r -> r.getString(2))
        .sorted().toList();
  }

  private List<String> children(Path p) throws IOException {
    try (var c = Files.list(p)) {
      return c.map(x -> x.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aFailedWriteLeavesNoStagingDirectory() throws Exception {
    Lake lake = Lake.parse(dir.toString());
    PartitionCommitter c = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    Dataset<Row> failing = quarantineRows("x", "y").map((MapFunction<Row, Row>) r -> {
      throw new IllegalStateException("a task fails");
    }, Encoders.row(LakeTables.QUARANTINE.dataSchema()));
    assertThrows(Exception.class,
        () -> c.stage(failing, lake, LakeTables.QUARANTINE, PartitionKey.of(LakeTables.QUARANTINE, "t", "d")));
    assertEquals(List.of(), children(dir.resolve("quarantine/table=t")));
  }

  @Test
  void stagingAbandonedByAKilledJobIsDeletedByTheNextJobOnceStale() throws Exception {
    Lake lake = Lake.parse(dir.toString());
    PartitionKey key = PartitionKey.of(LakeTables.QUARANTINE, "t", "d");
    Path table = dir.resolve("quarantine/table=t");
    String id = "0f0e0d0c-0b0a-0908-0706-050403020100";
    Path oldStaging = Fixtures.write(table.resolve(".dataset=d.staging-" + id + "/part-0.parquet"), "partial").getParent();
    Path oldAppend = Fixtures.write(table.resolve(".dataset=e.append-" + id + "/part-0.parquet"), "partial").getParent();
    Path fresh = Fixtures.write(table.resolve(".dataset=f.staging-" + id + "/part-0.parquet"), "live").getParent();
    Path trash = Fixtures.write(table.resolve(".dataset=d.trash-" + id + "/part-0.parquet"), "old").getParent();
    FileTime twoDaysAgo = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
    Files.setLastModifiedTime(oldStaging, twoDaysAgo);
    Files.setLastModifiedTime(oldAppend, twoDaysAgo);

    new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(quarantineRows("new"), lake,
        LakeTables.QUARANTINE, key);
    assertEquals(List.of(".dataset=f.staging-" + id, "dataset=d"), children(table),
        "stale staging and the trash of a killed commit deleted; a live job's staging kept");
    assertFalse(Files.exists(trash));
    assertEquals(List.of("new"), reasons(lake));
  }

  /**
   * Two committers of one partition forced to overlap: the second commits while the first is inside
   * its critical section (old version moved aside, new one not yet in place).
   */
  @Test
  void aCommitterThatCannotWaitForTheLockFailsAndLeavesTheOtherWritersData() throws Exception {
    Lake lake = Lake.parse(dir.toString());
    PartitionKey key = PartitionKey.of(LakeTables.QUARANTINE, "t", "d");
    var conf = spark.sparkContext().hadoopConfiguration();
    new PartitionCommitter(conf).replace(quarantineRows("old"), lake, LakeTables.QUARANTINE, key);

    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch secondTried = new CountDownLatch(1);
    PartitionCommitter first = new PartitionCommitter(conf, lockWait(Duration.ZERO), Duration.ofDays(1), () -> {
      inside.countDown();
      await(secondTried);
    });
    PartitionCommitter second = new PartitionCommitter(conf, lockWait(Duration.ZERO), Duration.ofDays(1), () -> {});
    PartitionCommitter.Staged a = first.stage(quarantineRows("a1", "a2"), lake, LakeTables.QUARANTINE, key);
    PartitionCommitter.Staged b = second.stage(quarantineRows("b1", "b2", "b3"), lake, LakeTables.QUARANTINE, key);

    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> firstCommit = pool.submit(a::commit);
      assertTrue(inside.await(30, TimeUnit.SECONDS));
      ConcurrentCommitException lost = assertThrows(ConcurrentCommitException.class, b::commit);
      secondTried.countDown();
      firstCommit.get(30, TimeUnit.SECONDS);
      assertTrue(lost.getMessage().startsWith("partition " + dir.toUri().toString().replace("file:///", "file:/")
          + "quarantine/table=t/dataset=d is being committed by "), lost.getMessage());
    } finally {
      secondTried.countDown();
      pool.shutdownNow();
    }
    assertEquals(List.of("a1", "a2"), reasons(lake), "exactly the winner's data");
    b.abort();
    assertEquals(List.of("dataset=d"), children(dir.resolve("quarantine/table=t")), "no lock, staging or trash left");
    assertEquals(List.of("_SUCCESS"), children(dir.resolve("quarantine/table=t/dataset=d")).stream()
        .filter(n -> !n.startsWith("part-") && !n.endsWith(".crc")).toList(), "only the winner's files");
  }

  @Test
  void aCommitterThatWaitsForTheLockCommitsAfterTheOtherAndWins() throws Exception {
    Lake lake = Lake.parse(dir.toString());
    PartitionKey key = PartitionKey.of(LakeTables.QUARANTINE, "t", "d");
    var conf = spark.sparkContext().hadoopConfiguration();
    new PartitionCommitter(conf).replace(quarantineRows("old"), lake, LakeTables.QUARANTINE, key);

    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch secondStarted = new CountDownLatch(1);
    PartitionCommitter first = new PartitionCommitter(conf, lockWait(Duration.ofSeconds(30)), Duration.ofDays(1), () -> {
      inside.countDown();
      await(secondStarted);
      sleep(300); // the second committer tries (and must wait) while the first is mid-commit
    });
    PartitionCommitter second = new PartitionCommitter(conf, lockWait(Duration.ofSeconds(30)), Duration.ofDays(1),
        () -> {});
    PartitionCommitter.Staged a = first.stage(quarantineRows("a1", "a2"), lake, LakeTables.QUARANTINE, key);
    PartitionCommitter.Staged b = second.stage(quarantineRows("b1", "b2", "b3"), lake, LakeTables.QUARANTINE, key);

    Queue<String> finished = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<?> fa = pool.submit(() -> {
        a.commit();
        finished.add("a");
      });
      assertTrue(inside.await(30, TimeUnit.SECONDS));
      Future<?> fb = pool.submit(() -> {
        secondStarted.countDown();
        b.commit();
        finished.add("b");
      });
      fa.get(30, TimeUnit.SECONDS);
      fb.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of("a", "b"), List.copyOf(finished));
    assertEquals(List.of("b1", "b2", "b3"), reasons(lake), "exactly the last committer's data");
    assertEquals(List.of("dataset=d"), children(dir.resolve("quarantine/table=t")), "no lock, staging or trash left");
    assertEquals(List.of("_SUCCESS"), children(dir.resolve("quarantine/table=t/dataset=d")).stream()
        .filter(n -> !n.startsWith("part-") && !n.endsWith(".crc")).toList(), "only the last committer's files");
  }

  @Test
  void anExpiredLockIsBrokenAndALiveOneNamesItsOwner() throws Exception {
    Lake lake = Lake.parse(dir.toString());
    PartitionKey key = PartitionKey.of(LakeTables.QUARANTINE, "t", "d");
    var conf = spark.sparkContext().hadoopConfiguration();
    Path lock = dir.resolve("quarantine/table=t/.dataset=d.lock");
    Fixtures.write(lock, "owner=1234@dead-host/x\nexpires=" + (System.currentTimeMillis() - 1000) + "\n");
    new PartitionCommitter(conf, lockWait(Duration.ZERO), Duration.ofDays(1), () -> {})
        .replace(quarantineRows("after the dead one"), lake, LakeTables.QUARANTINE, key);
    assertFalse(Files.exists(lock));

    Fixtures.write(lock, "owner=99@busy-host/y\nexpires=" + (System.currentTimeMillis() + 60_000) + "\n");
    PartitionCommitter impatient = new PartitionCommitter(conf, lockWait(Duration.ZERO), Duration.ofDays(1), () -> {});
    ConcurrentCommitException e = assertThrows(ConcurrentCommitException.class,
        () -> impatient.replace(quarantineRows("x"), lake, LakeTables.QUARANTINE, key));
    assertTrue(e.getMessage().contains("is being committed by 99@busy-host/y"), e.getMessage());
    assertEquals(List.of("after the dead one"), reasons(lake));
    assertEquals(List.of(".dataset=d.lock", "dataset=d"), children(dir.resolve("quarantine/table=t")),
        "the failed commit aborted its staging; the other's lock is not touched");
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new AssertionError("timed out");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void rowsOfTheWrongSchemaAreRefused() {
    Lake lake = Lake.parse(dir.toString());
    PartitionCommitter c = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    Dataset<Row> wrong = spark.createDataFrame(List.of(RowFactory.create("x")),
        new StructType().add("reason", DataTypes.StringType));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> c.stage(wrong, lake, LakeTables.QUARANTINE, PartitionKey.of(LakeTables.QUARANTINE, "t", "d")));
    assertTrue(e.getMessage().startsWith("rows for quarantine have schema struct<reason:string>"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("quarantine/table=t/dataset=d")));
  }

  @Test
  void partitionValuesAreRestrictedToASafeAlphabet() {
    assertThrows(IllegalArgumentException.class, () -> PartitionKey.of(LakeTables.DOCUMENTS, "../etc"));
    assertThrows(IllegalArgumentException.class, () -> PartitionKey.of(LakeTables.DOCUMENTS, "a b"));
    assertEquals("source=imdb-v1.2", PartitionKey.of(LakeTables.DOCUMENTS, "imdb-v1.2").relativePath());
  }
}
