package org.neurolake.family;

import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.neurolake.pipelines.table.PartitionKey;

/**
 * One output partition of an inference and the rows it is computed from.
 *
 * @param label how progress lines name the part, e.g. {@code sst2/dev}
 * @param resumable whether a part already committed may be kept (skipped) unless the request overwrites
 */
public record InferencePart(String label, PartitionKey output, Dataset<Row> input, boolean resumable) {
  public InferencePart {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(input, "input");
  }
}
