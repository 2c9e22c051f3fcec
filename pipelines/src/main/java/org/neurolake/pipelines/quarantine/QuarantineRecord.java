package org.neurolake.pipelines.quarantine;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A record an ingestion refused: the file, where in it (e.g. {@code byte 1234}, {@code line 17},
 * {@code D(5)}), why, an excerpt of the raw record as text (at most {@link #MAX_EXCERPT}
 * characters) and, when the record was bytes, its first {@link #MAX_RAW_BYTES} bytes exactly as
 * read (so a record with invalid UTF-8 keeps its original bytes, not U+FFFD).
 */
public record QuarantineRecord(String sourceFile, String location, String reason, String record, byte[] recordBytes)
    implements Serializable {
  public static final int MAX_EXCERPT = 512;
  public static final int MAX_RAW_BYTES = MAX_EXCERPT * 4;

  public QuarantineRecord {
    Objects.requireNonNull(sourceFile, "sourceFile");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(reason, "reason");
    if (record != null && record.length() > MAX_EXCERPT) {
      record = record.substring(0, MAX_EXCERPT) + "…";
    }
    if (recordBytes != null && recordBytes.length > MAX_RAW_BYTES) {
      recordBytes = Arrays.copyOf(recordBytes, MAX_RAW_BYTES);
    }
  }

  /** A refusal with a text excerpt only (or none). */
  public QuarantineRecord(String sourceFile, String location, String reason, String record) {
    this(sourceFile, location, reason, record, null);
  }

  /** A refused record of raw bytes: a lenient text excerpt (invalid UTF-8 as U+FFFD) and the bytes themselves. */
  public static QuarantineRecord ofBytes(String sourceFile, String location, String reason, byte[] bytes, int length) {
    int n = Math.min(length, MAX_RAW_BYTES);
    return new QuarantineRecord(sourceFile, location, reason, new String(bytes, 0, n, StandardCharsets.UTF_8),
        Arrays.copyOf(bytes, n));
  }

  public Row toRow() {
    return RowFactory.create(sourceFile, location, reason, record, recordBytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuarantineRecord q && sourceFile.equals(q.sourceFile) && location.equals(q.location)
        && reason.equals(q.reason) && Objects.equals(record, q.record) && Arrays.equals(recordBytes, q.recordBytes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sourceFile, location, reason, record) * 31 + Arrays.hashCode(recordBytes);
  }

  @Override
  public String toString() {
    return sourceFile + " @ " + location + ": " + reason;
  }
}
