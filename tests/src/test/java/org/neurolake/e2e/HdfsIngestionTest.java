package org.neurolake.e2e;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.IngestSpikesJob;
import org.neurolake.jobs.IngestTextJob;
import org.neurolake.jobs.SynthSpikesJob;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.TextCorpusIngestion;

/** Ingestion jobs against a real in-process HDFS: inputs read from and tables committed to hdfs:// URIs. */
class HdfsIngestionTest {
  static MiniHdfs cluster;
  static SparkSession spark;
  static String hdfs;
  @TempDir static Path base;

  @BeforeAll
  static void start() throws Exception {
    cluster = new MiniHdfs(base);
    hdfs = cluster.uri();
    spark = SparkSession.builder().master("local[2]").appName("hdfs").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private static void put(String path, String content) throws Exception {
    FileSystem fs = FileSystem.get(java.net.URI.create(hdfs), spark.sparkContext().hadoopConfiguration());
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(hdfs + path))) {
      out.write(content.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void textIngestionReadsAndCommitsOnHdfs() throws Exception {
    put("/raw/reviews/part-1.jsonl", "{\"text\": \"good\", \"label\": 1}\n{\"text\": \"bad\", \"label\": 0}\nnot json\n");
    put("/raw/reviews/part-2.jsonl", "{\"text\": \"fine &amp; dandy\", \"label\": 1}\n");
    String lake = hdfs + "/lake";
    // One bad record in four: above the default --max-bad-fraction, allowed here to see it quarantined on HDFS.
    IngestTextJob job = Jobs.parse(new IngestTextJob(), "--lake", lake, "--source", "reviews", "--format", "jsonl",
        "--text-field", "text", "--label-field", "label", "--max-bad-fraction", "0.5", "--input", hdfs + "/raw/reviews");
    TextCorpusIngestion.Result r = IngestTextJob.run(spark, job.config());
    assertEquals(3, r.kept());
    assertEquals(1, r.quarantined());
    assertTrue(r.documents().toString().startsWith("hdfs://"), r.documents().toString());

    // Read back in a fresh session, straight from HDFS.
    SparkSession other = spark.newSession();
    List<Row> docs = other.read().parquet(lake + "/documents").orderBy(Columns.DOC_ID).collectAsList();
    assertEquals(3, docs.size());
    assertEquals("\n fine & dandy ", new String((byte[]) docs.get(2).get(2), StandardCharsets.UTF_8));
    assertEquals("reviews", docs.get(0).getAs(Columns.SOURCE));

    FileSystem fs = FileSystem.get(java.net.URI.create(hdfs), spark.sparkContext().hadoopConfiguration());
    assertTrue(fs.exists(new org.apache.hadoop.fs.Path(lake + "/documents/source=reviews/_SUCCESS")));
    for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(lake + "/documents"))) {
      assertFalse(s.getPath().getName().startsWith("."), "no staging left: " + s.getPath());
    }
    assertEquals(1, TableReader.read(spark, Lake.parse(lake), LakeTables.QUARANTINE)
        .where(col(Columns.DATASET).equalTo("reviews")).count());
  }

  @Test
  void syntheticSpikesExportedToHdfsAndReingested() {
    String lake = hdfs + "/lake";
    SynthSpikesJob synth = Jobs.parse(new SynthSpikesJob(), "--lake", lake, "--conditions", "3", "--replications", "2",
        "--export-events", hdfs + "/raw/synth");
    SynthSpikesJob.run(spark, synth.config());
    IngestSpikesJob ingest = Jobs.parse(new IngestSpikesJob(), "--lake", lake, "--format", "events_csv", "--session",
        "reingested", "--input", hdfs + "/raw/synth/synthetic-chaotic_spikes.csv.gz", "--trials",
        hdfs + "/raw/synth/synthetic-chaotic_trials.csv");
    IngestSpikesJob.run(spark, ingest.config());
    List<Row> totals = TableReader.read(spark, Lake.parse(lake), LakeTables.SPIKE_TRIALS)
        .selectExpr(Columns.SESSION, "aggregate(counts, 0L, (a, x) -> a + x) as total")
        .groupBy(Columns.SESSION).sum("total").orderBy(Columns.SESSION).collectAsList();
    assertEquals(2, totals.size());
    assertEquals(totals.get(0).getLong(1), totals.get(1).getLong(1));
  }
}
