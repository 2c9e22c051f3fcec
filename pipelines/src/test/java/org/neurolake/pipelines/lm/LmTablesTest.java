package org.neurolake.pipelines.lm;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.testing.Fixtures;
import org.neurolake.pipelines.testing.LocalSpark;

/** tokenize → build-vocab → token streams on tiny generated text, in a temporary lake. */
class LmTablesTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
    // Keep the 4 shuffle partitions: token streams must put chunks that straddle partitions back together.
    spark.conf().set("spark.sql.adaptive.coalescePartitions.enabled", "false");
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Lake tokenize(String train, String valid) {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    Fixtures.write(dir.resolve("train.txt"), train);
    Fixtures.write(dir.resolve("valid.txt"), valid);
    Tokenization.run(spark, lake, "tiny", List.of(
        new Tokenization.SplitInput("train", dir.resolve("train.txt").toString()),
        new Tokenization.SplitInput("valid", dir.resolve("valid.txt").toString())));
    return lake;
  }

  private List<Row> rows(Lake lake, org.neurolake.pipelines.table.TableDef table, String split, String... order) {
    var ds = TableReader.read(spark, lake, table);
    if (split != null) {
      ds = ds.where(col(Columns.SPLIT).equalTo(split));
    }
    return ds.orderBy(java.util.Arrays.stream(order).map(org.apache.spark.sql.functions::col)
        .toArray(org.apache.spark.sql.Column[]::new)).collectAsList();
  }

  @Test
  void sentencesAreLinesWithEosInLineOrder() {
    Lake lake = tokenize(" the cat  sat \n\n a dog\n", "x y\n");
    List<Row> train = rows(lake, LakeTables.SENTENCES, "train", Columns.SENT_ID);
    assertEquals(3, train.size());
    assertEquals(List.of("the", "cat", "sat", "<eos>"), train.get(0).getList(1));
    assertEquals(List.of("<eos>"), train.get(1).getList(1));
    assertEquals(List.of("a", "dog", "<eos>"), train.get(2).getList(1));
    assertEquals(List.of(0L, 1L, 2L), train.stream().map(r -> r.getLong(0)).toList());
    assertEquals(List.of(4, 1, 3), train.stream().map(r -> r.getInt(2)).toList());
  }

  @Test
  void anEmptyInputIsRefusedAndCommitsNothing() {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    Fixtures.write(dir.resolve("empty.txt"), "");
    assertThrows(BadInputException.class, () -> Tokenization.run(spark, lake, "tiny",
        List.of(new Tokenization.SplitInput("train", dir.resolve("empty.txt").toString()))));
    assertFalse(java.nio.file.Files.exists(dir.resolve("lake/sentences/corpus=tiny/split=train")));
  }

  @Test
  void vocabularyIsTopWordsByCountTiesByWordWithSpecialIdsFirst() {
    // Counts: b 3, a 2, c 2, <unk> 1, d 1, e 1; <eos> 3.
    Lake lake = tokenize("b a c\nb d <unk>\nc b a e\n", "a zz b\n");
    VocabularyBuilder.Result r = VocabularyBuilder.run(spark, lake, new VocabularyBuilder.Config("tiny", "v3", "train", 3));
    Map<String, List<Object>> vocab = rows(lake, LakeTables.VOCAB, null, Columns.ID).stream()
        .collect(Collectors.toMap(row -> row.getString(0), row -> List.of(row.getInt(1), row.getLong(2))));
    assertEquals(Map.of("<unk>", List.of(0, 3L), "<eos>", List.of(1, 3L), "<s>", List.of(2, 0L),
        "b", List.of(3, 3L), "a", List.of(4, 2L), "c", List.of(5, 2L)), vocab);
    assertEquals(6, r.words());
    // The character rows: one per id, the word's bytes between the markers.
    List<Row> chars = rows(lake, LakeTables.VOCAB_CHARS, null, Columns.ID);
    assertEquals(6, chars.size());
    assertEquals(List.of(256, (int) 'b', 257, 258), chars.get(3).getList(1).subList(0, 4));
    // valid: a zz b <eos> -> zz is out of vocabulary; train: d and e are, and <unk> is read as <unk>.
    VocabularyBuilder.OovRate valid = r.oov().stream().filter(o -> o.split().equals("valid")).findFirst().orElseThrow();
    assertEquals(new VocabularyBuilder.OovRate("valid", 4, 1, 1), valid);
    VocabularyBuilder.OovRate train = r.oov().stream().filter(o -> o.split().equals("train")).findFirst().orElseThrow();
    assertEquals(new VocabularyBuilder.OovRate("train", 13, 2, 3), train);
  }

  @Test
  void tokenStreamsAreTheSplitsIdsInOrderCutIntoContiguousChunks() {
    SplittableRandom rng = new SplittableRandom(3);
    StringBuilder text = new StringBuilder();
    List<String> words = new ArrayList<>();
    for (int s = 0; s < 60; s++) {
      int n = rng.nextInt(6);
      for (int i = 0; i < n; i++) {
        String w = "w" + rng.nextInt(8);
        text.append(' ').append(w);
        words.add(w);
      }
      text.append('\n');
      words.add("<eos>");
    }
    Lake lake = tokenize(text.toString(), "w1\n");
    VocabularyBuilder.run(spark, lake, new VocabularyBuilder.Config("tiny", "v", "train", 5));
    VocabLookup vocab = VocabLookup.read(spark, lake, "tiny", "v");
    List<Integer> expected = words.stream().map(vocab::id).toList();
    int streams = 3;
    int chunk = 4;
    TokenStreams.Result r = TokenStreams.run(spark, lake, new TokenStreams.Config("tiny", "v", "train", streams, chunk));
    assertEquals(expected.size(), r.tokens());
    List<Row> rows = rows(lake, LakeTables.TOKEN_STREAMS, "train", Columns.STREAM_ID, Columns.CHUNK);
    StreamLayout layout = new StreamLayout(expected.size(), streams, chunk);
    List<Integer> all = new ArrayList<>();
    for (int s = 0; s < streams; s++) {
      final int stream = s;
      List<Row> chunks = rows.stream().filter(row -> row.getInt(0) == stream).toList();
      List<Integer> ids = new ArrayList<>();
      for (int c = 0; c < chunks.size(); c++) {
        assertEquals(c, chunks.get(c).getInt(1), "chunks are numbered 0.. in order");
        List<Integer> piece = chunks.get(c).getList(2);
        if (c < chunks.size() - 1) {
          assertEquals(chunk, piece.size(), "stream " + s + " chunk " + c);
        }
        ids.addAll(piece);
      }
      assertEquals(layout.start(s + 1) - layout.start(s), ids.size());
      all.addAll(ids);
    }
    assertEquals(expected, all);
  }
}
