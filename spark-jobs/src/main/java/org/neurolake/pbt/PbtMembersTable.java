package org.neurolake.pbt;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.report.ReportFiles;

/**
 * A search run's history in {@code pbt_members} (partition {@code run_id}): the run's partition is
 * replaced atomically with every row so far after each generation, so a generation re-run after a
 * kill leaves one row per (generation, member).
 */
public final class PbtMembersTable {
  private PbtMembersTable() {}

  /** One member's generation: see {@link LakeTables#PBT_MEMBERS}. */
  public record Row(int generation, int member, int parent, Hyperparameters hyperparameters, String metric,
      double value, int round) {}

  public static void replace(SparkSession spark, Lake lake, String runId, List<Row> rows) {
    List<org.apache.spark.sql.Row> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(RowFactory.create(r.generation(), r.member(), r.parent(), new TreeMap<>(r.hyperparameters().values()),
          r.metric(), r.value(), r.round()));
    }
    new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(
        spark.createDataFrame(out, LakeTables.PBT_MEMBERS.dataSchema()), lake, LakeTables.PBT_MEMBERS,
        PartitionKey.of(LakeTables.PBT_MEMBERS, runId));
  }

  /** The run's rows by generation and member; none when the table or the run's partition does not exist. */
  public static List<Row> read(SparkSession spark, Lake lake, String runId) {
    if (!ReportFiles.exists(spark.sparkContext().hadoopConfiguration(), lake.tablePath(LakeTables.PBT_MEMBERS))) {
      return List.of();
    }
    List<Row> out = new ArrayList<>();
    for (org.apache.spark.sql.Row r : TableReader.read(spark, lake, LakeTables.PBT_MEMBERS)
        .where(col(Columns.RUN_ID).equalTo(runId))
        .select(Columns.GENERATION, Columns.MEMBER, Columns.PARENT, Columns.HYPERPARAMETERS, Columns.METRIC,
            Columns.VALUE, Columns.ROUND).collectAsList()) {
      Map<String, Double> h = r.getJavaMap(3);
      out.add(new Row(r.getInt(0), r.getInt(1), r.getInt(2), new Hyperparameters(h), r.getString(4),
          r.isNullAt(5) ? Double.NaN : r.getDouble(5), r.getInt(6)));
    }
    out.sort(Comparator.comparingInt(Row::generation).thenComparingInt(Row::member));
    return out;
  }
}
