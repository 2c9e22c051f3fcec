package org.neurolake.pipelines.quarantine;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableDef;

/**
 * Writes the quarantine partition {@code table=<table>/dataset=<dataset>}. It is always written,
 * even empty, so that rerunning a job on fixed input clears the old refusals.
 */
public final class QuarantineWriter {
  private QuarantineWriter() {}

  public static PartitionCommitter.Staged stage(SparkSession spark, PartitionCommitter committer,
      Lake lake, TableDef table, String dataset, List<QuarantineRecord> records) {
    List<Row> rows = records.stream().map(QuarantineRecord::toRow).toList();
    Dataset<Row> df = spark.createDataFrame(rows, LakeTables.QUARANTINE.dataSchema()).coalesce(1);
    return committer.stage(df, lake, LakeTables.QUARANTINE,
        PartitionKey.of(LakeTables.QUARANTINE, table.name(), dataset));
  }
}
