package org.neurolake.pipelines.text;

/** Layouts of text corpora, one record per line in all of them (gzip or not). */
public enum TextFormat {
  /** One JSON object per line; field names configurable. */
  JSONL,
  /** One document per line, no other fields. */
  TEXT,
  /** CSV with a header line naming the columns; one record per line. */
  CSV
}
