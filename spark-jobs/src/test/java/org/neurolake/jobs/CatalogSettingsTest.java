package org.neurolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.table.Lake;

class CatalogSettingsTest {
  @TempDir Path dir;

  private CatalogSettings resolve(Lake lake, String option, String configured, boolean disabled) {
    return CatalogSettings.resolve(lake, option, configured, disabled, "neurolake", Duration.ofSeconds(5));
  }

  @Test
  void aLocalLakeGetsAnEmbeddedMetastoreInsideIt() {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    CatalogSettings c = resolve(lake, null, null, false);
    assertEquals(CatalogSettings.Kind.EMBEDDED, c.kind());
    assertEquals(Map.of(
        "spark.sql.catalogImplementation", "hive",
        "spark.hadoop.javax.jdo.option.ConnectionURL",
        "jdbc:derby:;databaseName=" + dir.resolve("lake/_catalog/metastore_db") + ";create=true",
        "spark.sql.warehouse.dir", dir.resolve("lake/_catalog/warehouse").toUri().toString(),
        "spark.hadoop.hive.hmshandler.retry.attempts", "1"), c.sparkSettings());
  }

  @Test
  void anExternalMetastoreComesFromTheOptionOrTheSparkConfiguration() {
    Lake lake = Lake.parse("hdfs://nn:8020/lake");
    CatalogSettings fromOption = resolve(lake, "thrift://ms:9083", "thrift://other:9083", false);
    assertEquals(CatalogSettings.Kind.EXTERNAL, fromOption.kind());
    assertEquals("thrift://ms:9083", fromOption.sparkSettings().get(CatalogSettings.METASTORE_URIS));
    assertEquals("thrift://other:9083", resolve(lake, null, "thrift://other:9083", false).metastoreUri());
    assertEquals(CatalogSettings.Kind.SESSION, resolve(lake, null, null, true).kind());
    assertEquals("in-memory", resolve(lake, null, null, true).sparkSettings().get("spark.sql.catalogImplementation"));
  }

  @Test
  void impossibleSettingsAreRefusedWithWhatToDoInstead() {
    IllegalArgumentException remote = assertThrows(IllegalArgumentException.class,
        () -> resolve(Lake.parse("hdfs://nn:8020/lake"), null, null, false));
    assertTrue(remote.getMessage().startsWith("the lake hdfs://nn:8020/lake is not on the local file system"),
        remote.getMessage());
    assertTrue(remote.getMessage().contains("--metastore thrift://host:9083"), remote.getMessage());
    assertThrows(IllegalArgumentException.class, () -> resolve(Lake.parse(dir.toString()), "thrift://ms:9083", null, true));
    IllegalArgumentException uri = assertThrows(IllegalArgumentException.class,
        () -> resolve(Lake.parse(dir.toString()), "ms:9083", null, false));
    assertTrue(uri.getMessage().contains("not 'ms:9083'"), uri.getMessage());
    assertThrows(IllegalArgumentException.class, () -> CatalogSettings.resolve(Lake.parse(dir.toString()), null, null,
        false, "Bad Name", Duration.ZERO));
  }
}
