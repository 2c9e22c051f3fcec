package org.neurolake.eval;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;

/** Writes {@link Metric}s to the lake's {@code evaluations} table: one atomic append per model partition. */
public final class EvaluationsTable {
  private EvaluationsTable() {}

  /** A metric of run {@code runId} at {@code round} (null for a job that is not a training round). */
  public record RunMetric(String runId, Integer round, Metric metric) {}

  /**
   * Appends {@code metrics} of run {@code runId} (at {@code round}, or null for a job that is not
   * a training round) to partition {@code model=<metric.model>} of each.
   */
  public static void append(SparkSession spark, Lake lake, String runId, Integer round, List<Metric> metrics) {
    append(spark, lake, metrics.stream().map(m -> new RunMetric(runId, round, m)).toList());
  }

  /** Appends metrics of any runs and rounds: one atomic append per model partition. */
  public static void append(SparkSession spark, Lake lake, List<RunMetric> metrics) {
    if (metrics.isEmpty()) {
      return;
    }
    Timestamp now = new Timestamp(System.currentTimeMillis());
    Map<String, List<Row>> byModel = new LinkedHashMap<>();
    for (RunMetric rm : metrics) {
      Metric m = rm.metric();
      byModel.computeIfAbsent(m.model(), k -> new ArrayList<>())
          .add(RowFactory.create(rm.runId(), m.dataset(), m.split(), m.metric(), m.value(), rm.round(), now));
    }
    TableAppender appender = new TableAppender(spark.sparkContext().hadoopConfiguration());
    byModel.forEach((model, rows) -> appender.append(spark.createDataFrame(rows, LakeTables.EVALUATIONS.dataSchema()),
        lake, LakeTables.EVALUATIONS, PartitionKey.of(LakeTables.EVALUATIONS, model)));
  }
}
