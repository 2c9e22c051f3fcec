package org.neurolake.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeriesCollection;

/** The reports' line charts: one look (white background, grey grid, 2-px lines, no markers) and one PNG size. */
public final class LineCharts {
  public static final int WIDTH = 900;
  public static final int HEIGHT = 540;

  private LineCharts() {}

  /** A styled XY line chart with a legend. */
  public static JFreeChart of(String title, String xLabel, String yLabel, XYSeriesCollection data) {
    JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true,
        false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setDefaultStroke(new BasicStroke(2f));
    r.setAutoPopulateSeriesStroke(false);
    plot.setRenderer(r);
    return chart;
  }

  /** The chart as PNG bytes, {@link #WIDTH} x {@link #HEIGHT}. */
  public static byte[] png(JFreeChart chart) {
    return png(chart, WIDTH, HEIGHT);
  }

  /** The chart as PNG bytes of another size (e.g. stacked panels). */
  public static byte[] png(JFreeChart chart, int width, int height) {
    try {
      ByteArrayOutputStream png = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(png, chart, width, height);
      return png.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("rendering " + chart.getTitle().getText() + " failed", e);
    }
  }
}
