package org.neurolake.pbt;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.neurolake.pipelines.io.AtomicFiles;
import org.neurolake.report.LineCharts;

/**
 * A search's history as one PNG: stacked panels sharing the generation axis, the selection metric
 * on top and one panel per hyperparameter below (log axis for {@code log} ranges), a line per member
 * (a replaced member's line jumps to its new values). {@link LineCharts#WIDTH} wide, 220 px per panel.
 */
public final class PbtPlots {
  static final int PANEL_HEIGHT = 220;

  private PbtPlots() {}

  public static Path write(Configuration conf, Path file, String runId, List<PbtMembersTable.Row> history,
      SearchSpace space, String metricLabel) {
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("generation"));
    plot.setGap(8);
    XYPlot metricPanel = panel(history, metricLabel, null, r -> r.value());
    plot.add(metricPanel, 2);
    for (SearchSpace.Range range : space.ranges().values()) {
      plot.add(panel(history, range.key(), range.scale() == SearchSpace.Scale.LOG ? new LogAxis(range.key()) : null,
          r -> r.hyperparameters().get(range.key())), 1);
    }
    JFreeChart chart = new JFreeChart("Population-based training, run " + runId, JFreeChart.DEFAULT_TITLE_FONT, plot,
        false);
    chart.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = new LegendTitle(metricPanel);
    legend.setPosition(RectangleEdge.BOTTOM);
    chart.addLegend(legend);
    int height = PANEL_HEIGHT * (2 + space.ranges().size()) + 80;
    return AtomicFiles.write(conf, file, LineCharts.png(chart, LineCharts.WIDTH, height));
  }

  private static XYPlot panel(List<PbtMembersTable.Row> history, String label, ValueAxis axis,
      java.util.function.ToDoubleFunction<PbtMembersTable.Row> value) {
    Map<Integer, XYSeries> byMember = new TreeMap<>();
    for (PbtMembersTable.Row r : history) {
      double v = value.applyAsDouble(r);
      XYSeries s = byMember.computeIfAbsent(r.member(), m -> new XYSeries("member " + m));
      if (Double.isFinite(v)) {
        s.add(r.generation(), v);
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    byMember.values().forEach(data::addSeries);
    NumberAxis numbers = new NumberAxis(label);
    numbers.setAutoRangeIncludesZero(false);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    r.setDefaultStroke(new BasicStroke(2f));
    r.setAutoPopulateSeriesStroke(false);
    XYPlot p = new XYPlot(data, null, axis != null ? axis : numbers, r);
    p.setBackgroundPaint(Color.WHITE);
    p.setDomainGridlinePaint(Color.LIGHT_GRAY);
    p.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return p;
  }
}
