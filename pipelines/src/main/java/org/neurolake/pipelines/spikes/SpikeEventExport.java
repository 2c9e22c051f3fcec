package org.neurolake.pipelines.spikes;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Writes spike trials in the sparse event format ({@code <name>_spikes.csv.gz} +
 * {@code <name>_trials.csv}) that {@link SpikeEventIngestion} reads: one event row per non-zero
 * bin, at the bin's start time, with its count. Written under temporary names, then renamed.
 */
public final class SpikeEventExport {
  private SpikeEventExport() {}

  public record Files(Path events, Path trials) {}

  public static Files write(Configuration conf, Path dir, String name, Iterator<SpikeTrial> trials) {
    Path events = new Path(dir, name + "_spikes.csv.gz");
    Path table = new Path(dir, name + "_trials.csv");
    Path eventsTmp = new Path(dir, "." + events.getName() + ".tmp");
    Path tableTmp = new Path(dir, "." + table.getName() + ".tmp");
    try {
      FileSystem fs = dir.getFileSystem(conf);
      fs.mkdirs(dir);
      try (Writer ev = new BufferedWriter(new OutputStreamWriter(
              new GZIPOutputStream(fs.create(eventsTmp, true), 1 << 16), StandardCharsets.UTF_8));
          Writer tr = new BufferedWriter(new OutputStreamWriter(fs.create(tableTmp, true), StandardCharsets.UTF_8))) {
        ev.write(SpikeEvent.HEADER + "\n");
        tr.write("trial,condition,n_neurons,n_bins_1ms,total_spikes\n");
        while (trials.hasNext()) {
          SpikeTrial t = trials.next();
          double durationMs = t.nBins() * t.binMs();
          if (durationMs != Math.rint(durationMs)) {
            throw new IllegalArgumentException("trial " + t.trial() + " lasts " + durationMs + " ms, not whole ms");
          }
          for (int n = 0; n < t.nNeurons(); n++) {
            for (int b = 0; b < t.nBins(); b++) {
              int c = t.count(n, b);
              if (c > 0) {
                ev.write(t.trial() + "," + n + "," + (long) (b * t.binMs()) + "," + c + "\n");
              }
            }
          }
          tr.write(t.trial() + "," + (t.condition() == null ? "" : t.condition()) + "," + t.nNeurons() + ","
              + (long) durationMs + "," + t.total() + "\n");
        }
      }
      for (Path[] p : new Path[][] {{eventsTmp, events}, {tableTmp, table}}) {
        fs.delete(p[1], false);
        if (!fs.rename(p[0], p[1])) {
          throw new IOException("rename " + p[0] + " -> " + p[1] + " failed");
        }
      }
      return new Files(events, table);
    } catch (IOException e) {
      throw new UncheckedIOException("exporting events to " + dir + " failed", e);
    }
  }
}
