package org.neurolake.sim;

import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.neurolake.pipelines.io.AtomicFiles;
import org.neurolake.report.LineCharts;

/** A simulation's curves: one metric of every setting against virtual wall time and against updates. */
public final class SimPlots {
  public static final String VS_TIME = "sim_vs_time.png";
  public static final String VS_UPDATES = "sim_vs_updates.png";

  private SimPlots() {}

  /** Writes both PNGs of {@code split}/{@code metric} into {@code dir}; returns their paths. */
  public static List<Path> write(Configuration conf, List<SimResult> results, String split, String metric, Path dir) {
    XYSeriesCollection byTime = new XYSeriesCollection();
    XYSeriesCollection byUpdates = new XYSeriesCollection();
    for (SimResult r : results) {
      XYSeries t = new XYSeries(r.setting());
      XYSeries u = new XYSeries(r.setting());
      for (SimEvaluation e : r.evaluations()) {
        if (e.split().equals(split) && e.metric().equals(metric)) {
          t.add(e.virtualS(), e.value());
          u.add(e.index(), e.value());
        }
      }
      if (t.isEmpty()) {
        throw new IllegalArgumentException(r.setting() + " has no " + split + " " + metric + " to plot");
      }
      byTime.addSeries(t);
      byUpdates.addSeries(u);
    }
    List<Path> out = new ArrayList<>();
    out.add(AtomicFiles.write(conf, new Path(dir, VS_TIME), LineCharts.png(LineCharts.of(split + " " + metric + " vs virtual time",
        "virtual seconds", metric, byTime))));
    out.add(AtomicFiles.write(conf, new Path(dir, VS_UPDATES), LineCharts.png(LineCharts.of(split + " " + metric + " vs updates",
        "updates (synchronous rounds; asynchronous single-worker updates)", metric, byUpdates))));
    return out;
  }
}
