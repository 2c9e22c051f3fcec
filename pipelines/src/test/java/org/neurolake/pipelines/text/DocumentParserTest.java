package org.neurolake.pipelines.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DocumentParserTest {
  private static TextSourceSpec imdb() {
    return TextSourceSpec.builder().source("imdb").preset(CorpusPreset.IMDB).input(new TextInput("x", null)).build();
  }

  private static Document parse(DocumentParser p, String line) throws RecordException {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    return p.parse(42, b, b.length);
  }

  @Test
  void parsesJsonWithConfiguredFields() throws Exception {
    DocumentParser p = new DocumentParser(imdb(), "train.jsonl.gz", null, null);
    Document d = parse(p, "{\"split\": \"train\", \"id\": 7, \"rating\": 9, \"label\": 1, \"text\": \"Great &amp; fun\"}");
    assertEquals("imdb:train.jsonl.gz:42", d.docId());
    assertEquals(Split.TRAIN, d.split());
    assertEquals(9.0, d.rating());
    assertEquals(1, d.label());
    assertEquals("\n Great & fun ", new String(d.textBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void amazonLayoutReadsReviewTextAndFloatRatingAndHashSplits() throws Exception {
    TextSourceSpec spec = TextSourceSpec.builder().source("amazon").preset(CorpusPreset.AMAZON)
        .input(new TextInput("x", null)).build();
    Document d = parse(new DocumentParser(spec, "a.jsonl", null, null),
        "{\"domain\": \"books\", \"label\": 0, \"rating\": 2.0, \"title\": {\"nested\": [1,2]}, \"review_text\": \"meh\\nbad\"}");
    assertEquals(2.0, d.rating());
    assertEquals(0, d.label());
    assertEquals(spec.hashSplitter().assign(d.docId()), d.split());
    assertEquals("\n meh bad ", new String(d.textBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void malformedJsonIsRefusedWithReason() {
    DocumentParser p = new DocumentParser(imdb(), "f", null, null);
    RecordException e = assertThrows(RecordException.class, () -> parse(p, "{\"text\": \"unterminated"));
    assertTrue(e.getMessage().startsWith("malformed JSON"), e.getMessage());
    assertThrows(RecordException.class, () -> parse(p, "[1,2]"));
    assertThrows(RecordException.class, () -> parse(p, "{\"split\":\"train\",\"text\":\"a\"} trailing"));
  }

  @Test
  void missingOrNonStringTextIsRefused() {
    DocumentParser p = new DocumentParser(imdb(), "f", null, null);
    RecordException e = assertThrows(RecordException.class, () -> parse(p, "{\"split\": \"train\", \"label\": 1}"));
    assertEquals("no string field 'text'", e.getMessage());
    e = assertThrows(RecordException.class, () -> parse(p, "{\"split\": \"train\", \"text\": 5}"));
    assertEquals("field 'text' is VALUE_NUMBER_INT, not a string", e.getMessage());
  }

  @Test
  void unknownSplitValueIsRefused() {
    DocumentParser p = new DocumentParser(imdb(), "f", null, null);
    assertThrows(RecordException.class, () -> parse(p, "{\"split\": \"unsup\", \"text\": \"a\"}"));
  }

  @Test
  void invalidUtf8IsRefusedWithItsPosition() {
    DocumentParser p = new DocumentParser(imdb(), "f", null, null);
    byte[] bad = {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    RecordException e = assertThrows(RecordException.class, () -> p.parse(0, bad, bad.length));
    assertEquals("invalid UTF-8 at byte 9 of the record", e.getMessage());
  }

  @Test
  void csvUsesHeaderColumnsAndChecksColumnCount() throws Exception {
    TextSourceSpec spec = TextSourceSpec.builder().source("sst2").preset(CorpusPreset.SST2)
        .input(new TextInput("x", Split.DEV)).build();
    DocumentParser.CsvColumns cols = DocumentParser.CsvColumns.fromHeader("label,sentence", spec, "dev.csv");
    DocumentParser p = new DocumentParser(spec, "dev.csv", Split.DEV, cols);
    Document d = parse(p, "1,\"funny, and warm\"");
    assertEquals(1, d.label());
    assertNull(d.rating());
    assertEquals(Split.DEV, d.split());
    assertEquals("\n funny, and warm ", new String(d.textBytes(), StandardCharsets.UTF_8));
    RecordException e = assertThrows(RecordException.class, () -> parse(p, "1,a,b"));
    assertEquals("CSV row has 3 columns, the header has 2", e.getMessage());
    assertThrows(RecordException.class, () -> parse(p, "x,text"));
  }

  @Test
  void csvHeaderWithoutTheTextColumnIsAClearError() {
    TextSourceSpec spec = TextSourceSpec.builder().source("sst2").preset(CorpusPreset.SST2)
        .input(new TextInput("x", null)).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> DocumentParser.CsvColumns.fromHeader("label,text", spec, "dev.csv"));
    assertEquals("dev.csv: CSV header [label, text] has no column 'sentence'", e.getMessage());
  }

  @Test
  void plainTextRefusesBlankLines() throws Exception {
    TextSourceSpec spec = TextSourceSpec.builder().source("ptb").preset(CorpusPreset.PLAIN)
        .preprocessing(Preprocessing.NONE).input(new TextInput("x", Split.TRAIN)).build();
    DocumentParser p = new DocumentParser(spec, "ptb.train.txt", Split.TRAIN, null);
    assertEquals(" a b ", new String(parse(p, " a b ").textBytes(), StandardCharsets.UTF_8));
    assertThrows(RecordException.class, () -> parse(p, "   "));
  }

  @Test
  void builderRejectsInconsistentSpecs() {
    assertThrows(IllegalArgumentException.class,
        () -> TextSourceSpec.builder().source("bad name").preset(CorpusPreset.IMDB).input(new TextInput("x", null)).build());
    assertThrows(IllegalArgumentException.class,
        () -> TextSourceSpec.builder().source("imdb").preset(CorpusPreset.IMDB).input(new TextInput("x", Split.TRAIN)).build());
    assertThrows(IllegalArgumentException.class,
        () -> TextSourceSpec.builder().source("imdb").preset(CorpusPreset.IMDB).build());
  }

  @Test
  void inputSpecParsesSplitPrefix() {
    assertEquals(new TextInput("/d/train.csv", Split.TRAIN), TextInput.parse("train=/d/train.csv"));
    assertEquals(new TextInput("hdfs://nn/a=b", null), TextInput.parse("hdfs://nn/a=b"));
  }
}
