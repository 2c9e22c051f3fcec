package org.neurolake.pipelines.text;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Parses one line of a text corpus into a {@link Document}, or throws {@link RecordException}
 * with the reason. Not thread-safe: use one per task. Knows nothing of Spark.
 */
public final class DocumentParser {
  private final TextSourceSpec spec;
  private final String fileName;
  private final Split fileSplit;
  private final Integer fileLabel;
  private final CsvColumns csv;
  private final TextTransform transform;
  /** Strict: malformed or unmappable bytes are errors, never replaced. */
  private final CharsetDecoder decoder;
  private final boolean utf8;
  private final JsonFactory json = new JsonFactory();

  /** Column positions of a CSV file, from its header. */
  public record CsvColumns(int nColumns, int text, int rating, int label, int split) implements java.io.Serializable {
    public static CsvColumns fromHeader(String header, TextSourceSpec spec, String file) {
      List<String> names;
      try {
        names = CsvLineParser.parse(header);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(file + ": header line is not valid CSV: " + e.getMessage());
      }
      return new CsvColumns(names.size(), index(names, spec.textField(), file, true),
          index(names, spec.ratingField(), file, false), index(names, spec.labelField(), file, false),
          index(names, spec.splitField(), file, false));
    }

    private static int index(List<String> names, String field, String file, boolean required) {
      if (field == null) {
        return -1;
      }
      int i = names.indexOf(field);
      if (i < 0) {
        throw new IllegalArgumentException(file + ": CSV header " + names + " has no column '" + field + "'");
      }
      return i;
    }
  }

  public DocumentParser(TextSourceSpec spec, String fileName, Split fileSplit, CsvColumns csv) {
    this(spec, fileName, fileSplit, null, csv);
  }

  /** A parser of one file's lines; {@code fileLabel} (or null) labels every record of the file. */
  public DocumentParser(TextSourceSpec spec, String fileName, Split fileSplit, Integer fileLabel, CsvColumns csv) {
    this.spec = spec;
    this.fileName = fileName;
    this.fileSplit = fileSplit;
    this.fileLabel = fileLabel;
    this.csv = csv;
    this.decoder = spec.inputCharset().newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    this.utf8 = spec.inputCharset().equals(StandardCharsets.UTF_8);
    this.transform = spec.preprocessing().transform();
    if (spec.format() == TextFormat.CSV && csv == null) {
      throw new IllegalArgumentException("CSV input needs its header columns");
    }
  }

  public String docId(long offset) {
    return spec.source() + ":" + fileName + ":" + offset;
  }

  /**
   * Strict decoding in the source's charset: bytes it cannot decode (malformed, or unmapped as
   * 0x81 in windows-1252) are an error naming their position, never replaced.
   */
  public String decode(byte[] bytes, int length) throws RecordException {
    try {
      return decoder.reset().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    } catch (CharacterCodingException e) {
      throw new RecordException("invalid " + spec.inputCharset().name() + " at byte " + firstInvalid(bytes, length)
          + " of the record");
    }
  }

  private int firstInvalid(byte[] bytes, int length) {
    CharBuffer out = CharBuffer.allocate(2 * length + 2);
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
    decoder.reset().decode(in, out, true);
    return in.position();
  }

  /** Parses the record that starts at {@code offset}; {@code line} excludes the line terminator. */
  public Document parse(long offset, byte[] line, int length) throws RecordException {
    String docId = docId(offset);
    if (spec.format() == TextFormat.JSONL) {
      // Jackson's byte parser decodes (and checks) the UTF-8 of the values it reads, so the line is
      // not decoded twice; on a parse error, a strict decode tells invalid UTF-8 from bad JSON.
      // Other charsets are decoded strictly first and parsed as text.
      return parseJson(docId, line, length, utf8 ? null : decode(line, length));
    }
    String text = decode(line, length);
    return switch (spec.format()) {
      case TEXT -> {
        if (text.isBlank()) {
          throw new RecordException("empty document");
        }
        yield new Document(docId, split(docId, null), transform.apply(text), null, fileLabel);
      }
      case CSV -> parseCsv(docId, text);
      case JSONL -> throw new IllegalStateException("unreachable");
    };
  }

  private Document parseCsv(String docId, String line) throws RecordException {
    List<String> f;
    try {
      f = CsvLineParser.parse(line);
    } catch (IllegalArgumentException e) {
      throw new RecordException("malformed CSV: " + e.getMessage());
    }
    if (f.size() != csv.nColumns()) {
      throw new RecordException("CSV row has " + f.size() + " columns, the header has " + csv.nColumns());
    }
    String text = f.get(csv.text());
    if (text.isBlank()) {
      throw new RecordException("empty text in column '" + spec.textField() + "'");
    }
    Double rating = csv.rating() < 0 ? null : parseDouble(f.get(csv.rating()), spec.ratingField());
    Integer label = csv.label() < 0 ? fileLabel : parseInt(f.get(csv.label()), spec.labelField());
    String splitValue = csv.split() < 0 ? null : f.get(csv.split());
    return new Document(docId, split(docId, splitValue), transform.apply(text), rating, label);
  }

  /** {@code decoded}: the line as text when it is not UTF-8 (null: Jackson reads the bytes). */
  private Document parseJson(String docId, byte[] line, int length, String decoded) throws RecordException {
    String text = null;
    Double rating = null;
    Integer label = fileLabel;
    String splitValue = null;
    try (JsonParser p = decoded == null ? json.createParser(line, 0, length) : json.createParser(decoded)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new RecordException("malformed JSON: a JSON object was expected");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (name.equals(spec.textField())) {
          if (v != JsonToken.VALUE_STRING) {
            throw new RecordException("field '" + name + "' is " + v + ", not a string");
          }
          text = p.getText();
        } else if (name.equals(spec.ratingField())) {
          rating = v == JsonToken.VALUE_NULL ? null
              : v.isNumeric() ? p.getDoubleValue() : parseDouble(p.getText(), name);
        } else if (name.equals(spec.labelField())) {
          label = v == JsonToken.VALUE_NULL ? null
              : v == JsonToken.VALUE_NUMBER_INT ? Integer.valueOf(p.getIntValue()) : parseInt(p.getText(), name);
        } else if (name.equals(spec.splitField())) {
          splitValue = v == JsonToken.VALUE_NULL ? null : p.getText();
        } else {
          p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new RecordException("malformed JSON object");
      }
      if (p.nextToken() != null) {
        throw new RecordException("malformed JSON: text after the object");
      }
    } catch (IOException e) {
      decode(line, length); // throws the precise error when the cause is invalid UTF-8
      String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new RecordException("malformed JSON: " + msg);
    }
    if (text == null) {
      throw new RecordException("no string field '" + spec.textField() + "'");
    }
    if (text.isBlank()) {
      throw new RecordException("empty text in field '" + spec.textField() + "'");
    }
    return new Document(docId, split(docId, splitValue), transform.apply(text), rating, label);
  }

  private Split split(String docId, String splitValue) throws RecordException {
    if (spec.splitField() != null) {
      if (splitValue == null) {
        throw new RecordException("no split field '" + spec.splitField() + "'");
      }
      try {
        return Split.parse(splitValue);
      } catch (IllegalArgumentException e) {
        throw new RecordException(e.getMessage());
      }
    }
    return fileSplit != null ? fileSplit : spec.hashSplitter().assign(docId);
  }

  private static Double parseDouble(String s, String field) throws RecordException {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Double.valueOf(s.trim());
    } catch (NumberFormatException e) {
      throw new RecordException("field '" + field + "' is not a number: '" + s + "'");
    }
  }

  private static Integer parseInt(String s, String field) throws RecordException {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Integer.valueOf(s.trim());
    } catch (NumberFormatException e) {
      throw new RecordException("field '" + field + "' is not an integer: '" + s + "'");
    }
  }
}
