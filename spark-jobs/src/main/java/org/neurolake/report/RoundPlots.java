package org.neurolake.report;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.neurolake.pipelines.io.AtomicFiles;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;

/**
 * A run's straggler plots from {@code train_rounds}, as 900x540 PNGs: {@value #COMPLETION_CDF}, the
 * CDF of task completion times within their round (accepted and dropped tasks apart), and
 * {@value #LOSS}, the mean loss of the accepted tasks per round.
 */
public final class RoundPlots {
  public static final String COMPLETION_CDF = "completion_cdf.png";
  public static final String LOSS = "loss.png";
  public static final int WIDTH = LineCharts.WIDTH;
  public static final int HEIGHT = LineCharts.HEIGHT;

  private RoundPlots() {}

  /** The run's rows of train_rounds (round, start_ms, end_ms, accepted, loss); none when the table does not exist. */
  public static List<Row> rows(SparkSession spark, Lake lake, String runId) {
    if (!ReportFiles.exists(spark.sparkContext().hadoopConfiguration(), lake.tablePath(LakeTables.TRAIN_ROUNDS))) {
      return List.of();
    }
    return TableReader.read(spark, lake, LakeTables.TRAIN_ROUNDS)
        .where(col(Columns.RUN_ID).equalTo(runId))
        .select(Columns.ROUND, Columns.START_MS, Columns.END_MS, Columns.ACCEPTED, Columns.LOSS)
        .collectAsList();
  }

  /** Writes both plots of {@code rows} (from {@link #rows}) into {@code dir}; returns their paths. */
  public static List<Path> write(SparkSession spark, String runId, List<Row> rows, Path dir) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("train_rounds has no rows for run '" + runId + "'");
    }
    Map<Integer, Long> roundStart = new HashMap<>();
    for (Row r : rows) {
      roundStart.merge(r.getInt(0), r.getLong(1), Math::min);
    }
    List<Double> accepted = new ArrayList<>();
    List<Double> dropped = new ArrayList<>();
    Map<Integer, double[]> loss = new TreeMap<>();
    for (Row r : rows) {
      double seconds = (r.getLong(2) - roundStart.get(r.getInt(0))) / 1000.0;
      (r.getBoolean(3) ? accepted : dropped).add(seconds);
      if (r.getBoolean(3) && !r.isNullAt(4)) {
        double[] sumAndCount = loss.computeIfAbsent(r.getInt(0), k -> new double[2]);
        sumAndCount[0] += r.getDouble(4);
        sumAndCount[1] += 1;
      }
    }
    XYSeriesCollection cdf = new XYSeriesCollection();
    cdf.addSeries(cdf("accepted (" + accepted.size() + ")", accepted));
    if (!dropped.isEmpty()) {
      cdf.addSeries(cdf("dropped (" + dropped.size() + ")", dropped));
    }
    JFreeChart cdfChart = LineCharts.of("Task completion time within round, run " + runId,
        "seconds since the round's first task started", "fraction of tasks", cdf);
    XYSeries lossSeries = new XYSeries("mean loss of accepted tasks");
    loss.forEach((round, v) -> lossSeries.add(round.doubleValue(), v[0] / v[1]));
    JFreeChart lossChart = LineCharts.of("Training loss, run " + runId, "round", "loss",
        new XYSeriesCollection(lossSeries));
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    return List.of(AtomicFiles.write(conf, new Path(dir, COMPLETION_CDF), LineCharts.png(cdfChart)),
        AtomicFiles.write(conf, new Path(dir, LOSS), LineCharts.png(lossChart)));
  }

  /**
   * A line per named series of (round, value), in one chart of the same size and style, written to
   * {@code file}; returns its path. For a model's evaluation metrics over training.
   */
  public static Path writeOverRounds(org.apache.hadoop.conf.Configuration conf, Path file, String title, String yLabel,
      Map<String, ? extends Map<Integer, Double>> series) {
    XYSeriesCollection lines = new XYSeriesCollection();
    series.forEach((name, points) -> {
      XYSeries line = new XYSeries(name);
      new TreeMap<>(points).forEach((round, v) -> line.add(round.doubleValue(), v.doubleValue()));
      lines.addSeries(line);
    });
    return AtomicFiles.write(conf, file, LineCharts.png(LineCharts.of(title, "round", yLabel, lines)));
  }

  private static XYSeries cdf(String name, List<Double> values) {
    XYSeries s = new XYSeries(name);
    List<Double> sorted = values.stream().sorted().toList();
    for (int i = 0; i < sorted.size(); i++) {
      s.add(sorted.get(i).doubleValue(), (i + 1) / (double) sorted.size());
    }
    return s;
  }
}
