package org.neurolake.e2e;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.CutSequencesJob;
import org.neurolake.jobs.IngestSpikesJob;
import org.neurolake.jobs.IngestTextJob;
import org.neurolake.pipelines.spikes.SpikeTrial;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.TextCorpusIngestion;

/** Every ingestion job on the real data in $DATA_ROOT, against the counts its README gives. */
class RealDataIngestionTest {
  static SparkSession spark;
  static Path data;
  @TempDir static Path lakeDir;

  @BeforeAll
  static void start() {
    data = TestData.root();
    spark = SparkSession.builder().master("local[2]").appName("real-data").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4").getOrCreate();
  }

  @AfterAll
  static void stop() {
    if (spark != null) {
      spark.stop();
    }
  }

  private static Dataset<Row> documents(String source) {
    return TableReader.read(spark, Lake.parse(lakeDir.toString()), LakeTables.DOCUMENTS)
        .where(col(Columns.SOURCE).equalTo(source));
  }

  private static Map<String, Long> countBy(Dataset<Row> df, String column) {
    return df.groupBy(column).count().collectAsList().stream()
        .collect(Collectors.toMap(r -> String.valueOf(r.get(0)), r -> r.getLong(1)));
  }

  @Test
  void sst2HasItsThreeSplits() {
    String d = data.resolve("sst2").toString();
    IngestTextJob job = Jobs.parse(new IngestTextJob(), "--lake", lakeDir.toString(), "--source", "sst2",
        "--preset", "sst2", "--input", "train=" + d + "/train_binary_sent.csv", "--input",
        "dev=" + d + "/dev_binary_sent.csv", "--input", "test=" + d + "/test_binary_sent.csv");
    TextCorpusIngestion.Result r = IngestTextJob.run(spark, job.config());
    assertEquals(0, r.quarantined());
    Dataset<Row> docs = documents("sst2");
    assertEquals(Map.of("train", 6920L, "dev", 872L, "test", 1821L), countBy(docs, Columns.SPLIT));
    assertEquals(Map.of("1", 3610L, "0", 3310L), countBy(docs.where(col(Columns.SPLIT).equalTo("train")), Columns.LABEL));
    // Every stored text carries the sentiment-neuron padding.
    assertEquals(0, docs.where("substring(cast(text_bytes as string), 1, 2) != '\n '").count());
  }

  @Test
  void imdbTrainHas12500PerLabelAndCutsIntoSequences() {
    IngestTextJob job = Jobs.parse(new IngestTextJob(), "--lake", lakeDir.toString(), "--source", "imdb",
        "--preset", "imdb", "--input", data.resolve("imdb/aclImdb_train.jsonl.gz").toString());
    TextCorpusIngestion.Result r = IngestTextJob.run(spark, job.config());
    assertEquals(25000, r.read());
    assertEquals(0, r.quarantined());
    Dataset<Row> docs = documents("imdb");
    assertEquals(25000, docs.count());
    assertEquals(Map.of("1", 12500L, "0", 12500L), countBy(docs, Columns.LABEL));
    assertEquals(Map.of("train", 25000L), countBy(docs, Columns.SPLIT));
    assertEquals(5100L, countBy(docs, Columns.RATING).get("1.0"));

    CutSequencesJob cut = Jobs.parse(new CutSequencesJob(), "--lake", lakeDir.toString(), "--source", "imdb",
        "--length", "256");
    CutSequencesJob.run(spark, cut.config());
    Dataset<Row> seqs = TableReader.read(spark, Lake.parse(lakeDir.toString()), LakeTables.BYTE_SEQUENCES)
        .where(col(Columns.SOURCE).equalTo("imdb"));
    long totalBytes = docs.selectExpr("sum(n_bytes)").first().getLong(0);
    assertEquals(totalBytes, seqs.selectExpr("sum(length(bytes))").first().getLong(0));
    long expectedSeqs = docs.selectExpr("sum(ceil(n_bytes / 256))").first().getLong(0);
    assertEquals(expectedSeqs, seqs.count());
    assertEquals(0, seqs.where("length(bytes) > 256").count());
  }

  @Test
  void amazonHas8000Reviews() {
    IngestTextJob job = Jobs.parse(new IngestTextJob(), "--lake", lakeDir.toString(), "--source", "amazon",
        "--preset", "amazon", "--input", data.resolve("amazon_reviews/blitzer_mds_amazon_labeled.jsonl.gz").toString());
    TextCorpusIngestion.Result r = IngestTextJob.run(spark, job.config());
    assertEquals(8000, r.kept());
    Dataset<Row> docs = documents("amazon");
    assertEquals(Map.of("1", 4000L, "0", 4000L), countBy(docs, Columns.LABEL));
    Map<String, Long> splits = countBy(docs, Columns.SPLIT);
    assertEquals(8000L, splits.values().stream().mapToLong(Long::longValue).sum());
    assertTrue(splits.get("train") > 7000 && splits.get("dev") > 300 && splits.get("test") > 300, splits.toString());
  }

  @Test
  void spikingEx1FromEventsCsvAndFromTheOriginalMatAgree() {
    Path s = data.resolve("spiking");
    IngestSpikesJob csv = Jobs.parse(new IngestSpikesJob(), "--lake", lakeDir.toString(), "--format", "events_csv",
        "--session", "ex1-csv", "--input", s.resolve("datahigh_ex1_pmd_delay400ms_spikes.csv.gz").toString(),
        "--trials", s.resolve("datahigh_ex1_pmd_delay400ms_trials.csv").toString(), "--bin-ms", "10");
    IngestSpikesJob.run(spark, csv.config());
    IngestSpikesJob mat = Jobs.parse(new IngestSpikesJob(), "--lake", lakeDir.toString(), "--format", "mat",
        "--session", "ex1-mat", "--input", s.resolve("original_mat/ex1_spikecounts.mat").toString(), "--bin-ms", "10");
    IngestSpikesJob.run(spark, mat.config());

    Map<String, List<SpikeTrial>> bySession = TableReader.read(spark, Lake.parse(lakeDir.toString()),
            LakeTables.SPIKE_TRIALS).collectAsList().stream()
        .collect(Collectors.groupingBy(r -> r.getString(r.fieldIndex(Columns.SESSION)), Collectors.mapping(SpikeTrial::fromRow, Collectors.toList())));
    for (String session : List.of("ex1-csv", "ex1-mat")) {
      List<SpikeTrial> trials = bySession.get(session);
      assertEquals(210, trials.size(), session);
      assertTrue(trials.stream().allMatch(t -> t.nNeurons() == 61 && t.nBins() == 40), session);
      assertEquals(50353L, trials.stream().mapToLong(SpikeTrial::total).sum(), session);
      assertEquals(7, trials.stream().map(SpikeTrial::condition).distinct().count(), session);
    }
    Map<Integer, SpikeTrial> fromMat = bySession.get("ex1-mat").stream()
        .collect(Collectors.toMap(SpikeTrial::trial, t -> t));
    for (SpikeTrial t : bySession.get("ex1-csv")) {
      assertEquals(java.util.Arrays.toString(t.counts()), java.util.Arrays.toString(fromMat.get(t.trial()).counts()));
      assertEquals(t.condition(), fromMat.get(t.trial()).condition());
    }
  }
}
