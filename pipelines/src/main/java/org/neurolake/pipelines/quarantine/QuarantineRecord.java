package org.neurolake.pipelines.quarantine;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * A record an ingestion refused: the file, where in it (e.g. {@code byte 1234}, {@code line 17},
 * {@code D(5)}), why, and an excerpt of the raw record (at most {@link #MAX_EXCERPT} characters).
 */
public record QuarantineRecord(String sourceFile, String location, String reason, String record)
    implements Serializable {
  public static final int MAX_EXCERPT = 512;

  public QuarantineRecord {
    Objects.requireNonNull(sourceFile, "sourceFile");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(reason, "reason");
    if (record != null && record.length() > MAX_EXCERPT) {
      record = record.substring(0, MAX_EXCERPT) + "…";
    }
  }

  /** An excerpt of raw bytes, decoded leniently (invalid UTF-8 shows as U+FFFD). */
  public static String excerpt(byte[] bytes, int length) {
    int n = Math.min(length, MAX_EXCERPT * 4);
    return new String(bytes, 0, n, StandardCharsets.UTF_8);
  }

  public Row toRow() {
    return RowFactory.create(sourceFile, location, reason, record);
  }

  @Override
  public String toString() {
    return sourceFile + " @ " + location + ": " + reason;
  }
}
