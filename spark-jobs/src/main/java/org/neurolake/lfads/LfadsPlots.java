package org.neurolake.lfads;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.neurolake.model.neural.Rates;
import org.neurolake.pipelines.io.AtomicFiles;

/**
 * The LFADS evaluation's pictures, as grids of small JFreeChart line charts in one PNG: rates of a
 * few neurons on a few held-out trials (true, LFADS, baselines) and the inferred factors.
 */
public final class LfadsPlots {
  private static final int CELL_W = 420;
  private static final int CELL_H = 260;

  private LfadsPlots() {}

  /** One small chart: named series over time (ms), each {@code values[bin]}. */
  public static JFreeChart chart(String title, String yLabel, double binMs, Map<String, double[]> series) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (Map.Entry<String, double[]> e : series.entrySet()) {
      XYSeries s = new XYSeries(e.getKey());
      for (int t = 0; t < e.getValue().length; t++) {
        s.add((t + 0.5) * binMs, e.getValue()[t]);
      }
      data.addSeries(s);
    }
    JFreeChart c = ChartFactory.createXYLineChart(title, "ms", yLabel, data, PlotOrientation.VERTICAL,
        series.size() > 1 && series.size() <= 4, false, false);
    c.getTitle().setFont(c.getTitle().getFont().deriveFont(12f));
    XYPlot plot = c.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setDefaultStroke(new BasicStroke(1.6f));
    r.setAutoPopulateSeriesStroke(false);
    plot.setRenderer(r);
    return c;
  }

  /** Named series of one (trial, neuron) panel, in drawing order. */
  public static Map<String, double[]> series(Object... nameThenValues) {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < nameThenValues.length; i += 2) {
      if (nameThenValues[i + 1] != null) {
        m.put((String) nameThenValues[i], (double[]) nameThenValues[i + 1]);
      }
    }
    return m;
  }

  /**
   * Rates of the first 4 neurons on the first 3 test trials, in Hz, one panel per (trial, neuron)
   * and a row per trial: true (when known), LFADS and the baselines. Written to {@code path}.
   */
  public static Path writeRates(Configuration conf, Path path, LfadsEvaluation.TestRates rates) {
    List<JFreeChart> panels = new ArrayList<>();
    int[] trials = rates.trials();
    int nTrials = Math.min(3, trials.length);
    int nNeurons = Math.min(4, rates.lfads().neurons());
    for (int i = 0; i < nTrials; i++) {
      for (int n = 0; n < nNeurons; n++) {
        panels.add(chart("trial " + trials[i] + ", neuron " + n, "Hz", rates.lfads().binMs(),
            series("true", rates.truth() == null ? null : hz(rates.truth(), i, n), "LFADS", hz(rates.lfads(), i, n),
                "smoothing", hz(rates.smoothing(), i, n), "linear latent", hz(rates.linearLatent(), i, n))));
      }
    }
    return writeGrid(conf, path, panels, nNeurons);
  }

  private static double[] hz(Rates r, int trial, int neuron) {
    double[] out = new double[r.bins()];
    for (int t = 0; t < out.length; t++) {
      out[t] = r.rateHz(trial, t, neuron);
    }
    return out;
  }

  /** The inferred factors of one trial, {@code factorMajor[factor * nBins + bin]}. */
  public static JFreeChart factorsChart(int trial, double binMs, int nFactors, int nBins, double[] factorMajor) {
    Map<String, double[]> series = new LinkedHashMap<>();
    for (int j = 0; j < nFactors; j++) {
      series.put("factor " + j, Arrays.copyOfRange(factorMajor, j * nBins, (j + 1) * nBins));
    }
    return chart("factors, trial " + trial, "factor", binMs, series);
  }

  /** Charts laid out {@code columns} wide into one PNG at {@code path}, written atomically. */
  public static Path writeGrid(Configuration conf, Path path, List<JFreeChart> charts, int columns) {
    if (charts.isEmpty()) {
      throw new IllegalArgumentException("no charts for " + path);
    }
    int rows = (charts.size() + columns - 1) / columns;
    BufferedImage img = new BufferedImage(columns * CELL_W, rows * CELL_H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      for (int i = 0; i < charts.size(); i++) {
        charts.get(i).draw(g, new java.awt.geom.Rectangle2D.Double((i % columns) * CELL_W, (i / columns) * CELL_H,
            CELL_W, CELL_H));
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode " + path + " as PNG", e);
    }
    return AtomicFiles.write(conf, path, png.toByteArray());
  }
}
