package org.neurolake.pipelines.text;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.testing.Fixtures;
import org.neurolake.pipelines.testing.LocalSpark;

/** A generated two-file task (one file per class) in Latin-1 and windows-1252, ingested under several charsets. */
class LabeledInputsIngestionTest {
  static SparkSession spark;
  @TempDir Path dir;

  /** "un film très réussi" / "à revoir" in ISO-8859-1: 0xE8, 0xE9 and 0xE0 are not valid UTF-8 on their own. */
  static final byte[] POS = "un film tr\u00e8s r\u00e9ussi\ngreat fun\n".getBytes(StandardCharsets.ISO_8859_1);
  static final byte[] NEG = "dull and long\n\u00e0 revoir\n".getBytes(StandardCharsets.ISO_8859_1);

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private TextSourceSpec spec(String source, String charset, String... inputs) {
    TextSourceSpec.Builder b = TextSourceSpec.builder().source(source).preset(CorpusPreset.PLAIN)
        .preprocessing(Preprocessing.NONE).charset(charset);
    for (String i : inputs) {
      b.input(TextInput.parse(i));
    }
    return b.build();
  }

  private List<Row> documents(Lake lake, String source) {
    return TableReader.read(spark, lake, LakeTables.DOCUMENTS).where(col(Columns.SOURCE).equalTo(source))
        .orderBy(Columns.DOC_ID).select(Columns.DOC_ID, Columns.SPLIT, Columns.TEXT_BYTES, Columns.LABEL)
        .collectAsList();
  }

  private List<Row> quarantine(Lake lake, String dataset) {
    return TableReader.read(spark, lake, LakeTables.QUARANTINE)
        .where(col(Columns.TABLE).equalTo("documents").and(col(Columns.DATASET).equalTo(dataset)))
        .orderBy(Columns.SOURCE_FILE, Columns.LOCATION).collectAsList();
  }

  private static String text(Row r) {
    return new String((byte[]) r.get(2), StandardCharsets.UTF_8);
  }

  @Test
  void latin1FilesGetTheirFileLabelAndSplitAndAreStoredAsUtf8() {
    Fixtures.write(dir.resolve("pos.txt"), POS);
    Fixtures.write(dir.resolve("neg.txt"), NEG);
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    TextCorpusIngestion.Result r = TextCorpusIngestion.run(spark, lake, spec("rt", "ISO-8859-1",
        "label=1:" + dir.resolve("pos.txt"), "label=0,split=test:" + dir.resolve("neg.txt")), Fixtures.atMost(0));
    assertEquals(4, r.kept());
    assertEquals(0, r.quarantined());
    List<Row> docs = documents(lake, "rt");
    assertEquals(List.of("rt:neg.txt:0", "rt:neg.txt:14", "rt:pos.txt:0", "rt:pos.txt:20"),
        docs.stream().map(d -> d.getString(0)).toList());
    assertEquals(List.of(0, 0, 1, 1), docs.stream().map(d -> d.getInt(3)).toList());
    assertEquals(List.of("test", "test"), docs.subList(0, 2).stream().map(d -> d.getString(1)).toList());
    assertEquals("\u00e0 revoir", text(docs.get(1)));
    assertEquals("un film tr\u00e8s r\u00e9ussi", text(docs.get(2)), "decoded as Latin-1, stored as UTF-8");
  }

  @Test
  void bytesUndecodableInTheChosenCharsetAreQuarantinedWithFileAndLineNeverReplaced() {
    Fixtures.write(dir.resolve("pos.txt"), POS);
    Fixtures.write(dir.resolve("neg.txt"), NEG);
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    TextCorpusIngestion.Result r = TextCorpusIngestion.run(spark, lake, spec("rt8", "UTF-8",
        "label=1:" + dir.resolve("pos.txt"), "label=0:" + dir.resolve("neg.txt")), Fixtures.atMost(10));
    assertEquals(2, r.kept());
    assertEquals(2, r.quarantined());
    assertEquals(List.of("great fun", "dull and long"),
        documents(lake, "rt8").stream().sorted((a, b) -> -a.getString(0).compareTo(b.getString(0)))
            .map(LabeledInputsIngestionTest::text).toList());
    List<Row> q = quarantine(lake, "rt8");
    assertEquals(2, q.size(), q.toString());
    Row neg = q.get(0);
    assertTrue(neg.getString(0).endsWith("neg.txt"), neg.toString());
    assertEquals("line 2 (byte 14)", neg.getString(1));
    assertEquals("invalid UTF-8 at byte 0 of the record", neg.getString(2));
    assertArrayEquals("\u00e0 revoir".getBytes(StandardCharsets.ISO_8859_1), (byte[]) neg.get(4),
        "the original bytes are kept");
    Row pos = q.get(1);
    assertTrue(pos.getString(0).endsWith("pos.txt"), pos.toString());
    assertEquals("line 1 (byte 0)", pos.getString(1));
    assertEquals("invalid UTF-8 at byte 10 of the record", pos.getString(2));
  }

  @Test
  void windows1252DecodesItsQuotesAndQuarantinesItsUnmappedBytes() {
    // 0x93/0x94 are curly quotes in windows-1252; 0x81 maps to nothing there.
    byte[] pos = {'a', ' ', (byte) 0x93, 'g', 'e', 'm', (byte) 0x94, '\n', 'o', 'k', ' ', (byte) 0x81, '\n'};
    Fixtures.write(dir.resolve("pos.txt"), pos);
    Fixtures.write(dir.resolve("neg.txt"), "meh\n");
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    TextCorpusIngestion.Result r = TextCorpusIngestion.run(spark, lake, spec("cp", "windows-1252",
        "label=1:" + dir.resolve("pos.txt"), "label=0:" + dir.resolve("neg.txt")), Fixtures.atMost(10));
    assertEquals(2, r.kept());
    assertEquals("a \u201cgem\u201d", text(documents(lake, "cp").get(1)));
    List<Row> q = quarantine(lake, "cp");
    assertEquals(1, q.size(), q.toString());
    assertEquals("line 2 (byte 8)", q.get(0).getString(1));
    assertEquals("invalid windows-1252 at byte 3 of the record", q.get(0).getString(2));
  }

  @Test
  void inputFormsAndCharsetsAreValidated() {
    assertEquals(new TextInput("a.csv", Split.TRAIN, null), TextInput.parse("train=a.csv"));
    assertEquals(new TextInput("/x/a.txt", null, null), TextInput.parse("/x/a.txt"));
    assertEquals(new TextInput("hdfs://nn/p.txt", Split.DEV, 1), TextInput.parse("label=1,split=dev:hdfs://nn/p.txt"));
    assertEquals(new TextInput("neg.txt", null, 0), TextInput.parse("label=0:neg.txt"));
    assertThrows(IllegalArgumentException.class, () -> TextInput.parse("label=x:neg.txt"));
    assertThrows(IllegalArgumentException.class, () -> TextInput.parse("label=1"));
    assertThrows(IllegalArgumentException.class, () -> TextInput.parse("label=1,colour=red:a.txt"));
    IllegalArgumentException utf16 = assertThrows(IllegalArgumentException.class, () -> spec("x", "UTF-16", "a.txt"));
    assertTrue(utf16.getMessage().contains("line break"), utf16.getMessage());
    assertThrows(IllegalArgumentException.class, () -> spec("x", "no-such-charset", "a.txt"));
    IllegalArgumentException both = assertThrows(IllegalArgumentException.class, () -> TextSourceSpec.builder()
        .source("s").preset(CorpusPreset.SST2).input(TextInput.parse("label=1:a.csv")).build());
    assertTrue(both.getMessage().contains("exclude"), both.getMessage());
  }
}
