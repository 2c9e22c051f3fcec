package org.neurolake.sentiment;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import javax.imageio.ImageIO;
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
import org.neurolake.pipelines.io.AtomicFiles;

/**
 * The sentiment probe's pictures: the sentiment unit's value on the test documents by class (the
 * paper's Figure 3), and test accuracy against the number of labeled training examples (its
 * data-efficiency figure), each one PNG written atomically ({@link AtomicFiles}).
 */
public final class SentimentPlots {
  private static final int WIDTH = 420;
  private static final int HEIGHT = 260;

  private SentimentPlots() {}

  /** Overlaid histograms of the unit's value for negative and positive test documents. */
  public static Path unitHistogram(Configuration conf, Path path, UnitHistogram values) {
    double[] negative = values.negative();
    double[] positive = values.positive();
    HistogramDataset data = new HistogramDataset();
    int bins = 40;
    if (negative.length > 0) {
      data.addSeries("negative (" + negative.length + ")", negative, bins);
    }
    if (positive.length > 0) {
      data.addSeries("positive (" + positive.length + ")", positive, bins);
    }
    JFreeChart c = ChartFactory.createHistogram("sentiment unit " + values.unit() + " on test documents, by class",
        "cell state value", "documents", data, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = c.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setForegroundAlpha(0.6f);
    XYBarRenderer r = (XYBarRenderer) plot.getRenderer();
    r.setShadowVisible(false);
    r.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
    return AtomicFiles.write(conf, path, png(c));
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
    return AtomicFiles.write(conf, path, png(c));
  }

  /** The chart drawn on white, as PNG bytes (420 x 260 pixels, the size these plots always had). */
  private static byte[] png(JFreeChart chart) {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      chart.draw(g, new Rectangle2D.Double(0, 0, WIDTH, HEIGHT));
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("no PNG writer in this JVM");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a PNG", e);
    }
    return out.toByteArray();
  }
}
