package org.neurolake.pipelines.table;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The values of a table's partition columns for one partition, e.g. {@code source=imdb}.
 * Values are restricted to a safe alphabet so that directory names need no escaping and
 * round-trip through Spark's partition discovery unchanged.
 */
public record PartitionKey(List<String> columns, List<String> values) {
  private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  public PartitionKey {
    columns = List.copyOf(columns);
    values = List.copyOf(values);
    if (columns.size() != values.size() || columns.isEmpty()) {
      throw new IllegalArgumentException("partition columns " + columns + " and values " + values
          + " must be non-empty and of equal length");
    }
    for (String v : values) {
      requireSafe(v);
    }
  }

  /** Throws a clear error unless {@code value} can be a partition value (e.g. a source or session name). */
  public static String requireSafe(String value) {
    if (value == null || !SAFE_VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException("'" + value + "' is not a valid partition value: use 1-128 of"
          + " letters, digits, '.', '_', '-', starting with a letter or digit");
    }
    return value;
  }

  public static PartitionKey of(TableDef table, String... values) {
    return new PartitionKey(table.partitionColumns(), List.of(values));
  }

  /** Relative directory path, e.g. {@code table=documents/dataset=imdb}. */
  public String relativePath() {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      parts.add(columns.get(i) + "=" + values.get(i));
    }
    return String.join("/", parts);
  }

  @Override
  public String toString() {
    return relativePath();
  }
}
