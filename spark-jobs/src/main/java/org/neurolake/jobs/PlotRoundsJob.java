package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plot-rounds", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Draws a run's straggler plots from train_rounds as PNG: the CDF of task completion times within"
        + " their round (accepted and dropped tasks), and the loss curve (mean loss of the accepted tasks per round).")
public final class PlotRoundsJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--run-id", required = true, description = "The run to plot.")
  String runId;

  @Option(names = "--out", description = "Output folder (default: <lake>/reports/<run-id>).")
  String out;

  public record Config(Lake lake, String runId, Path out) {
    public Config {
      PartitionKey.requireSafe(runId);
    }
  }

  public Config config() {
    Lake lake = common.lake();
    Path o = out != null ? new Path(HadoopPaths.toUri(out)) : new Path(new Path(lake.root()), "reports/" + runId);
    return new Config(lake, runId, o);
  }

  /** Writes {@code completion_cdf.png} and {@code loss.png}; returns their paths. */
  public static List<Path> run(SparkSession spark, Config cfg) {
    List<Row> rows = TableReader.read(spark, cfg.lake(), LakeTables.TRAIN_ROUNDS)
        .where(col(Columns.RUN_ID).equalTo(cfg.runId()))
        .select(Columns.ROUND, Columns.START_MS, Columns.END_MS, Columns.ACCEPTED, Columns.LOSS)
        .collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("train_rounds has no rows for run '" + cfg.runId() + "'");
    }
    Map<Integer, Long> roundStart = new HashMap<>();
    for (Row r : rows) {
      roundStart.merge(r.getInt(0), r.getLong(1), Math::min);
    }
    List<Double> accepted = new ArrayList<>();
    List<Double> dropped = new ArrayList<>();
    Map<Integer, double[]> loss = new java.util.TreeMap<>();
    for (Row r : rows) {
      double seconds = (r.getLong(2) - roundStart.get(r.getInt(0))) / 1000.0;
      (r.getBoolean(3) ? accepted : dropped).add(seconds);
      if (r.getBoolean(3) && !r.isNullAt(4)) {
        loss.computeIfAbsent(r.getInt(0), k -> new double[2]);
        loss.get(r.getInt(0))[0] += r.getDouble(4);
        loss.get(r.getInt(0))[1] += 1;
      }
    }
    XYSeriesCollection cdf = new XYSeriesCollection();
    cdf.addSeries(cdf("accepted (" + accepted.size() + ")", accepted));
    if (!dropped.isEmpty()) {
      cdf.addSeries(cdf("dropped (" + dropped.size() + ")", dropped));
    }
    JFreeChart cdfChart = ChartFactory.createXYLineChart("Task completion time within round, run " + cfg.runId(),
        "seconds since the round's first task started", "fraction of tasks", cdf, PlotOrientation.VERTICAL, true,
        false, false);
    XYSeries lossSeries = new XYSeries("mean loss of accepted tasks");
    loss.forEach((round, v) -> lossSeries.add(round.doubleValue(), v[0] / v[1]));
    JFreeChart lossChart = ChartFactory.createXYLineChart("Training loss, run " + cfg.runId(), "round", "loss",
        new XYSeriesCollection(lossSeries), PlotOrientation.VERTICAL, true, false, false);
    style(cdfChart);
    style(lossChart);
    return List.of(write(spark, cfg.out(), "completion_cdf.png", cdfChart), write(spark, cfg.out(), "loss.png", lossChart));
  }

  private static XYSeries cdf(String name, List<Double> values) {
    XYSeries s = new XYSeries(name);
    List<Double> sorted = values.stream().sorted().toList();
    for (int i = 0; i < sorted.size(); i++) {
      s.add(sorted.get(i).doubleValue(), (i + 1) / (double) sorted.size());
    }
    return s;
  }

  private static void style(JFreeChart chart) {
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setDefaultStroke(new BasicStroke(2f));
    r.setAutoPopulateSeriesStroke(false);
    plot.setRenderer(r);
  }

  private static Path write(SparkSession spark, Path dir, String name, JFreeChart chart) {
    Path p = new Path(dir, name);
    try {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(png, chart, 900, 540);
      FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
      fs.mkdirs(dir);
      Path tmp = new Path(dir, "." + name + ".tmp");
      try (OutputStream o = fs.create(tmp, true)) {
        o.write(png.toByteArray());
      }
      fs.delete(p, false);
      if (!fs.rename(tmp, p)) {
        throw new IOException("rename " + tmp + " -> " + p + " failed");
      }
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + p + " failed", e);
    }
  }

  @Override
  public Integer call() {
    Config cfg = config();
    if (common.dryRun()) {
      System.out.println("dry run: would plot run " + cfg.runId() + " into " + cfg.out());
      return 0;
    }
    System.setProperty("java.awt.headless", "true");
    List<Path> pngs = run(JobRunner.session("plot-rounds " + runId), cfg);
    System.out.println("plot-rounds " + runId + ": " + pngs);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new PlotRoundsJob(), args);
  }
}
