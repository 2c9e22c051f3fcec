package org.neurolake.sentiment;

import java.awt.Color;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.neurolake.lfads.LfadsPlots;

/**
 * The sentiment probe's pictures: the sentiment unit's value on the test documents by class (the
 * paper's Figure 3), and test accuracy against the number of labeled training examples (its
 * data-efficiency figure), each one PNG written atomically.
 */
public final class SentimentPlots {
  private SentimentPlots() {}

  /** Overlaid histograms of the unit's value for negative and positive test documents. */
  public static Path unitHistogram(Configuration conf, Path path, int unit, double[] negative, double[] positive) {
    HistogramDataset data = new HistogramDataset();
    int bins = 40;
    if (negative.length > 0) {
      data.addSeries("negative (" + negative.length + ")", negative, bins);
    }
    if (positive.length > 0) {
      data.addSeries("positive (" + positive.length + ")", positive, bins);
    }
    JFreeChart c = ChartFactory.createHistogram("sentiment unit " + unit + " on test documents, by class",
        "cell state value", "documents", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = c.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setForegroundAlpha(0.6f);
    XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
    r.setShadowVisible(false);
    r.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
    return LfadsPlots.writeGrid(conf, path, List.of(c), 1);
  }

  /**
   * Mean accuracy over seeds against labeled examples (log axis), one line per model; each map is
   * examples -> accuracies of the seeds.
   */
  public static Path dataEfficiency(Configuration conf, Path path, Map<String, SortedMap<Integer, List<Double>>> curves) {
    XYSeriesCollection data = new XYSeriesCollection();
    curves.forEach((model, byN) -> {
      XYSeries s = new XYSeries(model);
      byN.forEach((n, acc) -> s.add(n.doubleValue(), acc.stream().mapToDouble(Double::doubleValue).average()
          .orElseThrow()));
      data.addSeries(s);
    });
    JFreeChart c = ChartFactory.createXYLineChart("test accuracy vs labeled training examples (mean over seeds)",
        "labeled examples", "accuracy", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = c.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    LogAxis x = new LogAxis("labeled examples");
    x.setBase(2);
    plot.setDomainAxis(x);
    plot.setRenderer(new XYLineAndShapeRenderer(true, true));
    return LfadsPlots.writeGrid(conf, path, List.of(c), 1);
  }
}
