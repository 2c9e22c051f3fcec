package org.neurolake.pipelines.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    return spark.createDataFrame(java.util.Arrays.stream(reasons).map(r -> RowFactory.create("f", "l", r, null)).toList(),
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
    assertEquals("documents", rows.get(0).getString(4));
    assertEquals("a", rows.get(0).getString(5));
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
