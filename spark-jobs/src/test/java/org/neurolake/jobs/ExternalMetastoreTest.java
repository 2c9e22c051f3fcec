package org.neurolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.hive.conf.HiveConf;
import org.apache.hadoop.hive.metastore.HiveMetaStore;
import org.apache.hadoop.hive.shims.ShimLoader;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;

/**
 * Registration in an external Hive metastore service (--metastore thrift://...): a metastore server
 * on a loopback port of this JVM, a job's registration through it, and a query by name from a new
 * session connected to it.
 */
class ExternalMetastoreTest {
  @TempDir static Path dir;
  static int port;

  @BeforeAll
  static void startMetastoreService() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    HiveConf conf = new HiveConf();
    conf.set("javax.jdo.option.ConnectionURL",
        "jdbc:derby:;databaseName=" + dir.resolve("service/metastore_db") + ";create=true");
    conf.set("hive.metastore.warehouse.dir", dir.resolve("service/warehouse").toUri().toString());
    conf.set("hive.metastore.schema.verification", "false");
    conf.set("datanucleus.schema.autoCreateAll", "true");
    Thread server = new Thread(() -> {
      try {
        HiveMetaStore.startMetaStore(port, ShimLoader.getHadoopThriftAuthBridge(), conf);
      } catch (Throwable e) {
        throw new IllegalStateException("the metastore service stopped", e);
      }
    }, "metastore-service");
    server.setDaemon(true);
    server.start();
    long deadline = System.currentTimeMillis() + 120_000;
    while (true) {
      try (Socket probe = new Socket()) {
        probe.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        if (System.currentTimeMillis() > deadline || !server.isAlive()) {
          throw new IllegalStateException("the metastore service did not start on port " + port, notYet);
        }
        Thread.sleep(200);
      }
    }
  }

  @Test
  void aJobRegistersThroughTheServiceAndANewSessionQueriesByName() {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    CatalogSettings catalog = CatalogSettings.resolve(lake, "thrift://127.0.0.1:" + port, null, false, "neurolake",
        Duration.ZERO);
    assertEquals(CatalogSettings.Kind.EXTERNAL, catalog.kind());
    SparkSession spark = JobRunner.session("external-metastore-test", catalog);
    try {
      Timestamp t = new Timestamp(1_700_000_000_000L);
      new TableAppender(spark.sparkContext().hadoopConfiguration()).append(spark.createDataFrame(List.of(
              RowFactory.create("r", "d", "test", "accuracy", 0.5, 1, t),
              RowFactory.create("r", "d", "test", "accuracy", 0.75, 2, t)),
          LakeTables.EVALUATIONS.dataSchema()), lake, LakeTables.EVALUATIONS, PartitionKey.of(LakeTables.EVALUATIONS, "m"));
      catalog.registerWritten(spark, LakeTables.EVALUATIONS);
    } finally {
      spark.stop();
    }
    spark = JobRunner.session("external-metastore-test-2", catalog);
    try {
      assertEquals(0.75, spark.sql("SELECT max(value) FROM neurolake.evaluations WHERE model = 'm'").first().getDouble(0));
    } finally {
      spark.stop();
    }
    assertFalse(Files.exists(dir.resolve("lake/_catalog")), "no embedded metastore was made");
  }
}
