package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.family.ModelFamilies;
import org.neurolake.jobs.TrainJob;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableDef;
import org.neurolake.train.RunRecord;
import org.neurolake.train.TrainingRun;

/**
 * {@code train --family lstm-lm --dataset toy/v12 --config conf/train/lstm-lm-ptb.properties} in
 * tiny rounds, on generated token tables (a vocabulary of 12 words; streams where each word is
 * followed by a fixed successor 6 times in 7): the run learns, and its valid perplexity, streamed
 * with carried state, ends far below the vocabulary size.
 */
class LstmLmEndToEndTest {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = TrainingSessions.start("local[2]", "lstm-lm-e2e", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static void write(Lake lake, TableDef table, List<Row> rows, String... partition) {
    spark.createDataFrame(rows, table.dataSchema()).coalesce(1).write()
        .parquet(lake.partitionPath(table, PartitionKey.of(table, partition)).toString());
  }

  /**
   * Word w is followed by (w + 5) mod 12 (one cycle through all 12 words, so unigram and copying
   * models stay near perplexity 12), except every 7th position, which repeats w.
   */
  private static int[] stream(int first, int length) {
    int[] ids = new int[length];
    ids[0] = first;
    for (int i = 1; i < length; i++) {
      ids[i] = i % 7 == 0 ? ids[i - 1] : (ids[i - 1] + 5) % 12;
    }
    return ids;
  }

  private static List<Row> chunks(int streams, int length, int chunk) {
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      int[] ids = stream(s % 12, length);
      for (int c = 0; c * chunk < length; c++) {
        List<Integer> part = new ArrayList<>();
        for (int i = c * chunk; i < Math.min(length, (c + 1) * chunk); i++) {
          part.add(ids[i]);
        }
        rows.add(RowFactory.create(s, c, part.toArray(new Integer[0])));
      }
    }
    return rows;
  }

  @Test
  void trainsOnTokenStreamsAndStreamsTheValidPerplexity() throws Exception {
    assertTrue(ModelFamilies.installed().names().contains("lstm-lm"), ModelFamilies.installed().names().toString());
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    List<Row> vocab = new ArrayList<>();
    for (int id = 0; id < 12; id++) {
      vocab.add(RowFactory.create("w" + id, id, 10L));
    }
    write(lake, LakeTables.VOCAB, vocab, "toy", "v12");
    write(lake, LakeTables.TOKEN_STREAMS, chunks(8, 400, 64), "toy", "v12", "train");
    write(lake, LakeTables.TOKEN_STREAMS, chunks(1, 300, 64), "toy", "v12", "valid");

    TrainJob.Config cfg = Jobs.parse(new TrainJob(), "--lake", lake.root().toString(), "--family", "lstm-lm",
        "--dataset", "toy/v12", "--config", TestData.projectRoot().resolve("conf/train/lstm-lm-ptb.properties")
            .toString(), "--set", "run-id=lm-toy", "--set", "workers=2", "--set", "rounds=6", "--set", "local-steps=8",
        "--set", "batch-size=4", "--set", "model.optimizer=ADAM", "--set", "learning-rate=0.02", "--set", "eval-every=3",
        "--set", "checkpoint-every=3",
        "--set", "time-budget-s=0", "--set", "model.embeddingSize=8", "--set", "model.hiddenSize=16",
        "--set", "model.layers=1", "--set", "model.unrollLength=10", "--set", "data.eval-rows=3").config();
    TrainingRun.Result run = TrainJob.run(spark, cfg);
    Map<String, Double> valid = run.metrics("valid");
    assertEquals(297.0, valid.get("tokens"), "300 ids in 3 rows: 297 predictions");
    System.out.println("lstm-lm e2e: valid " + valid);
    assertTrue(valid.get("perplexity") < 4, "uniform is 12; the successor is nearly deterministic: " + valid);

    RunRecord record = RunRecord.read(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(dir.resolve("lake/checkpoints/lm-toy").toUri()));
    assertEquals("lstm-lm", record.family());
    LstmLmSpec spec = assertInstanceOf(LstmLmSpec.class, record.spec());
    assertEquals(12, spec.vocabSize());
    assertEquals(4, spec.batchStreams());
  }
}
