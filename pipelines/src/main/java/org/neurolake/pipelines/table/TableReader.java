package org.neurolake.pipelines.table;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads lake tables with their declared schema (no type inference of partition values). */
public final class TableReader {
  private TableReader() {}

  public static Dataset<Row> read(SparkSession spark, Lake lake, TableDef table) {
    Path path = lake.tablePath(table);
    try {
      FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(path)) {
        throw new IllegalArgumentException("table " + table.name() + " does not exist at " + path
            + ": run the job that writes it first");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + path, e);
    }
    return spark.read().schema(table.fullSchema()).parquet(path.toString());
  }
}
