package org.neurolake.pipelines.table;

import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A lake table: its name, the schema of its data files, and the columns it is partitioned by
 * (Hive-style directories {@code col=value}, outermost first).
 *
 * <p>Partitions are the unit of replacement: a job rerun replaces exactly the partitions it
 * writes, atomically (see {@link PartitionCommitter}).
 */
public record TableDef(String name, StructType dataSchema, List<StructField> partitionFields,
    List<String> plainEncodedColumns) {

  public TableDef {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(dataSchema, "dataSchema");
    partitionFields = List.copyOf(partitionFields);
    plainEncodedColumns = List.copyOf(plainEncodedColumns);
    for (String c : plainEncodedColumns) {
      if (!List.of(dataSchema.fieldNames()).contains(c)) {
        throw new IllegalArgumentException(c + " is not a data column of " + name);
      }
    }
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("table name must be lower_snake_case: " + name);
    }
    for (StructField f : partitionFields) {
      if (List.of(dataSchema.fieldNames()).contains(f.name())) {
        throw new IllegalArgumentException(
            "partition column " + f.name() + " must not also be a data column of " + name);
      }
    }
  }

  public TableDef(String name, StructType dataSchema, List<StructField> partitionFields) {
    this(name, dataSchema, partitionFields, List.of());
  }

  /**
   * The same table with Parquet dictionary encoding off for {@code columns}: for values that are
   * (nearly) all distinct, such as ids and document text, the writer would build a dictionary per
   * page only to throw it away.
   */
  public TableDef withPlainEncoding(String... columns) {
    return new TableDef(name, dataSchema, partitionFields, List.of(columns));
  }

  /** The schema a reader sees: data columns, then partition columns. */
  public StructType fullSchema() {
    StructType s = dataSchema;
    for (StructField f : partitionFields) {
      s = s.add(f);
    }
    return s;
  }

  public List<String> partitionColumns() {
    return partitionFields.stream().map(StructField::name).toList();
  }
}
