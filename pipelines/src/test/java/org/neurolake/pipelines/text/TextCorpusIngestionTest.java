package org.neurolake.pipelines.text;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.quarantine.BadRecordPolicy;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.testing.Fixtures;
import org.neurolake.pipelines.testing.LocalSpark;

class TextCorpusIngestionTest {
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

  private static String review(int i) {
    return "{\"split\": \"" + (i % 2 == 0 ? "train" : "test") + "\", \"rating\": " + (1 + i % 10)
        + ", \"label\": " + (i % 2) + ", \"text\": \"review number " + i + " &amp; more\"}\n";
  }

  private List<Row> quarantine(Lake lake, String dataset) {
    return TableReader.read(spark, lake, LakeTables.QUARANTINE)
        .where(col(Columns.TABLE).equalTo("documents").and(col(Columns.DATASET).equalTo(dataset)))
        .orderBy(Columns.SOURCE_FILE, Columns.LOCATION).collectAsList();
  }

  @Test
  void badRecordsAreQuarantinedAndGoodOnesArrive() throws Exception {
    // A JSONL file with a malformed line, invalid UTF-8 and a record without text.
    byte[] good = (review(0) + review(1)).getBytes(StandardCharsets.UTF_8);
    byte[] malformed = "{\"split\": \"train\", \"text\": \"cut off\n".getBytes(StandardCharsets.UTF_8);
    byte[] invalidUtf8 = {'{', '"', 's', 'p', 'l', 'i', 't', '"', ':', '"', 't', 'r', 'a', 'i', 'n', '"', ',',
        '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xFF, '"', '}', '\n'};
    byte[] noText = "{\"split\": \"train\", \"label\": 1}\n".getBytes(StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    all.write(good);
    all.write(malformed);
    all.write(invalidUtf8);
    all.write(noText);
    all.write(review(2).getBytes(StandardCharsets.UTF_8));
    Fixtures.write(dir.resolve("in/a.jsonl"), all.toByteArray());
    // A gzip file cut off in the middle: the records before the break are kept.
    String many = IntStream.range(100, 2100).mapToObj(TextCorpusIngestionTest::review).collect(Collectors.joining());
    Fixtures.write(dir.resolve("in/b.jsonl.gz"), Fixtures.truncated(Fixtures.gzip(many), 0.5));

    Lake lake = Lake.parse(dir.resolve("lake").toString());
    TextSourceSpec spec = TextSourceSpec.builder().source("reviews").preset(CorpusPreset.IMDB)
        .input(new TextInput(dir.resolve("in").toString(), null)).build();
    TextCorpusIngestion.Result r = TextCorpusIngestion.run(spark, lake, spec, Fixtures.atMost(1000));

    List<Row> q = quarantine(lake, "reviews");
    assertEquals(4, q.size(), q.toString());
    assertEquals(r.read(), r.kept() + r.quarantined());
    assertEquals(4, r.quarantined());
    List<String> reasons = q.stream().map(row -> row.getString(2)).toList();
    assertTrue(reasons.stream().anyMatch(s -> s.startsWith("malformed JSON")), reasons.toString());
    assertTrue(reasons.contains("invalid UTF-8 at byte 25 of the record"), reasons.toString());
    assertTrue(reasons.contains("no string field 'text'"), reasons.toString());
    assertTrue(reasons.stream().anyMatch(s -> s.startsWith("unreadable input, rest of file skipped")), reasons.toString());
    Row truncation = q.stream().filter(row -> row.getString(2).startsWith("unreadable")).findFirst().orElseThrow();
    assertTrue(truncation.getString(0).endsWith("b.jsonl.gz"));
    Row utf8 = q.stream().filter(row -> row.getString(2).startsWith("invalid UTF-8")).findFirst().orElseThrow();
    assertTrue(utf8.getString(0).endsWith("a.jsonl"));
    assertEquals("line 4 (byte " + (good.length + malformed.length) + ")", utf8.getString(1));
    assertTrue(utf8.getString(3).contains("\uFFFD"), "the text excerpt shows the bad byte as U+FFFD");
    assertArrayEquals(java.util.Arrays.copyOf(invalidUtf8, invalidUtf8.length - 1), (byte[]) utf8.get(4),
        "record_bytes keeps the original bytes");

    List<Row> docs = TableReader.read(spark, lake, LakeTables.DOCUMENTS).collectAsList();
    long fromGzip = docs.stream().filter(d -> d.getString(0).contains("b.jsonl.gz")).count();
    assertTrue(fromGzip > 100 && fromGzip < 2000, "records before the break: " + fromGzip);
    assertEquals(3 + fromGzip, docs.size());
    Row first = docs.stream().filter(d -> d.getString(0).equals("reviews:a.jsonl:0")).findFirst().orElseThrow();
    assertEquals("train", first.getString(1));
    assertEquals("\n review number 0 & more ", new String((byte[]) first.get(2), StandardCharsets.UTF_8));
    assertEquals(((byte[]) first.get(2)).length, first.getInt(3));
    assertEquals(1.0, first.getDouble(4));
    assertEquals(0, first.getInt(5));
    assertEquals("reviews", first.getString(6));

    // Rerunning replaces the partition: same rows, no duplicates, nothing half-written left behind.
    TextCorpusIngestion.run(spark, lake, spec, Fixtures.atMost(1000));
    assertEquals(docs.size(), TableReader.read(spark, lake, LakeTables.DOCUMENTS).count());
    try (var files = Files.list(dir.resolve("lake/documents"))) {
      assertEquals(List.of("source=reviews"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertTrue(Files.exists(dir.resolve("lake/documents/source=reviews/_SUCCESS")));
  }

  @Test
  void csvRowsWithWrongColumnCountAreQuarantined() {
    Fixtures.write(dir.resolve("train.csv"), "label,sentence\n1,good film\n0,\"bad, very bad\"\n1,too,many\n0,\n");
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    TextSourceSpec spec = TextSourceSpec.builder().source("sst").preset(CorpusPreset.SST2)
        .input(new TextInput(dir.resolve("train.csv").toString(), Split.TRAIN)).build();
    TextCorpusIngestion.Result r = TextCorpusIngestion.run(spark, lake, spec, Fixtures.atMost(10));
    assertEquals(2, r.kept());
    assertEquals(2, r.quarantined());
    List<String> reasons = quarantine(lake, "sst").stream().map(x -> x.getString(2)).toList();
    assertEquals(List.of("CSV row has 3 columns, the header has 2", "empty text in column 'sentence'"), reasons);
    List<Row> docs = TableReader.read(spark, lake, LakeTables.DOCUMENTS).orderBy(Columns.DOC_ID).collectAsList();
    assertEquals("sst:train.csv:15", docs.get(0).getString(0));
    assertEquals("train", docs.get(0).getString(1));
  }

  @Test
  void tooManyBadRecordsFailsAndCommitsNothing() {
    Fixtures.write(dir.resolve("bad.jsonl"), "not json\nnor this\n" + review(1));
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    TextSourceSpec spec = TextSourceSpec.builder().source("broken").preset(CorpusPreset.IMDB)
        .input(new TextInput(dir.resolve("bad.jsonl").toString(), null)).build();
    BadInputException e = assertThrows(BadInputException.class, () -> TextCorpusIngestion.run(spark, lake, spec, Fixtures.atMost(1)));
    assertTrue(e.getMessage().startsWith("ingesting broken: 2 records refused, more than the limit of 1"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("lake/documents/source=broken")));
    try (var left = Files.list(dir.resolve("lake/documents"))) {
      assertEquals(0, left.count(), "staging was cleaned up");
    } catch (java.io.IOException ex) {
      throw new AssertionError(ex);
    }
  }

  @Test
  void aRunWithNoGoodRecordKeepsTheExistingPartition() throws Exception {
    Fixtures.write(dir.resolve("good.jsonl"), review(0) + review(1) + review(2));
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    TextSourceSpec good = TextSourceSpec.builder().source("kept").preset(CorpusPreset.IMDB)
        .input(new TextInput(dir.resolve("good.jsonl").toString(), null)).build();
    assertEquals(3, TextCorpusIngestion.run(spark, lake, good, Fixtures.atMost(1000)).kept());

    // An empty file, and a "gzip" that is not one: nothing good is read from either.
    Fixtures.write(dir.resolve("empty.jsonl"), "");
    Fixtures.write(dir.resolve("fake.jsonl.gz"), "this is not gzip at all\n");
    for (String input : List.of("empty.jsonl", "fake.jsonl.gz")) {
      TextSourceSpec bad = TextSourceSpec.builder().source("kept").preset(CorpusPreset.IMDB)
          .input(new TextInput(dir.resolve(input).toString(), null)).build();
      BadInputException e = assertThrows(BadInputException.class, () -> TextCorpusIngestion.run(spark, lake, bad,
          Fixtures.atMost(1000)));
      assertTrue(e.getMessage().startsWith("ingesting kept: no good record in ") && e.getMessage().contains(input),
          e.getMessage());
      assertEquals(3, TableReader.read(spark, lake, LakeTables.DOCUMENTS).where(col(Columns.SOURCE).equalTo("kept"))
          .count(), "the existing documents are kept");
    }
    try (var left = Files.list(dir.resolve("lake/documents"))) {
      assertEquals(List.of("source=kept"), left.map(p -> p.getFileName().toString()).toList(), "staging cleaned up");
    }
  }

  @Test
  void aRunWhoseRefusedShareExceedsMaxBadFractionFailsAndKeepsThePartition() {
    Fixtures.write(dir.resolve("good.jsonl"), review(0) + review(1) + review(2));
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    TextSourceSpec good = TextSourceSpec.builder().source("share").preset(CorpusPreset.IMDB)
        .input(new TextInput(dir.resolve("good.jsonl").toString(), null)).build();
    TextCorpusIngestion.run(spark, lake, good, BadRecordPolicy.DEFAULT);

    // 2 of 10 records refused: 20% > the default 10%, though far below --max-bad-records.
    Fixtures.write(dir.resolve("mostly.jsonl"), "not json\nnor this\n"
        + IntStream.range(10, 18).mapToObj(TextCorpusIngestionTest::review).collect(Collectors.joining()));
    TextSourceSpec mostly = TextSourceSpec.builder().source("share").preset(CorpusPreset.IMDB)
        .input(new TextInput(dir.resolve("mostly.jsonl").toString(), null)).build();
    BadInputException e = assertThrows(BadInputException.class,
        () -> TextCorpusIngestion.run(spark, lake, mostly, BadRecordPolicy.DEFAULT));
    assertTrue(e.getMessage().startsWith("ingesting share: 2 of 10 records refused (20.0%), more than"
        + " --max-bad-fraction 0.1 in " + dir.toUri().toString().replaceFirst("/$", "").replace("file:///", "file:/")
        + "/mostly.jsonl; nothing committed"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
    assertEquals(3, TableReader.read(spark, lake, LakeTables.DOCUMENTS).count(), "the existing documents are kept");

    assertEquals(8, TextCorpusIngestion.run(spark, lake, mostly, BadRecordPolicy.DEFAULT.withMaxBadFraction(0.2)).kept(),
        "a looser bound lets it through");
  }

  @Test
  void replacingAPartitionWithAnEmptyOneNeedsTheFlag() {
    Fixtures.write(dir.resolve("good.jsonl"), review(0) + review(1));
    Fixtures.write(dir.resolve("empty.jsonl"), "");
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    TextSourceSpec good = TextSourceSpec.builder().source("emptied").preset(CorpusPreset.IMDB)
        .input(new TextInput(dir.resolve("good.jsonl").toString(), null)).build();
    TextSourceSpec empty = TextSourceSpec.builder().source("emptied").preset(CorpusPreset.IMDB)
        .input(new TextInput(dir.resolve("empty.jsonl").toString(), null)).build();
    TextCorpusIngestion.run(spark, lake, good, BadRecordPolicy.DEFAULT);
    BadInputException e = assertThrows(BadInputException.class,
        () -> TextCorpusIngestion.run(spark, lake, empty, BadRecordPolicy.DEFAULT));
    assertTrue(e.getMessage().endsWith("(--allow-empty-replace commits an empty partition)"), e.getMessage());
    assertEquals(2, TableReader.read(spark, lake, LakeTables.DOCUMENTS).count());

    TextCorpusIngestion.Result r = TextCorpusIngestion.run(spark, lake, empty,
        BadRecordPolicy.DEFAULT.withAllowEmptyReplace(true));
    assertEquals(0, r.kept());
    assertEquals(0, TableReader.read(spark, lake, LakeTables.DOCUMENTS).count(), "replaced by an empty partition");
  }

  @Test
  void missingInputIsAClearError() {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    TextSourceSpec spec = TextSourceSpec.builder().source("x").preset(CorpusPreset.IMDB)
        .input(new TextInput(dir.resolve("nope/*.jsonl").toString(), null)).build();
    BadInputException e = assertThrows(BadInputException.class, () -> TextCorpusIngestion.run(spark, lake, spec, Fixtures.atMost(1)));
    assertTrue(e.getMessage().endsWith("nope/*.jsonl matches no file"), e.getMessage());
  }
}
