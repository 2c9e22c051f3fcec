package org.neurolake.pipelines.spikes;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.neurolake.pipelines.io.LineReaders;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.text.CsvLineParser;

/**
 * The trial table that accompanies a sparse spike-event file:
 * {@code trial,condition,n_neurons,n_bins_1ms[,total_spikes]}, one row per trial. It is the
 * recording's metadata, so any bad row makes the whole recording unreadable (a clear error).
 */
public final class TrialTable {
  private TrialTable() {}

  /** One trial: its condition, size, and (when given) the spike total the events must add up to. */
  public record Trial(int trial, String condition, int nNeurons, int durationMs, int nBins, Long totalSpikes)
      implements Serializable {}

  public static final List<String> REQUIRED = List.of("trial", "condition", "n_neurons", "n_bins_1ms");

  public static Map<Integer, Trial> read(Configuration conf, Path file, double binMs, RecordingLimits limits) {
    try (BufferedReader r = LineReaders.openText(conf, file)) {
      String header = r.readLine();
      if (header == null) {
        throw new BadInputException(file + ": empty trial table");
      }
      List<String> cols;
      try {
        cols = CsvLineParser.parse(header);
      } catch (IllegalArgumentException e) {
        cols = List.of(header);
      }
      if (!cols.subList(0, Math.min(cols.size(), 4)).equals(REQUIRED)) {
        throw new BadInputException(file + ": header '" + LineReaders.shown(header) + "' must start with "
            + String.join(",", REQUIRED));
      }
      int totalCol = cols.indexOf("total_spikes");
      Map<Integer, Trial> trials = new LinkedHashMap<>();
      String line;
      int lineNo = 1;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String where = file + " line " + lineNo;
        List<String> f;
        try {
          f = CsvLineParser.parse(line);
        } catch (IllegalArgumentException e) {
          throw new BadInputException(where + ": " + e.getMessage());
        }
        if (f.size() != cols.size()) {
          throw new BadInputException(where + ": " + f.size() + " columns, the header has " + cols.size());
        }
        try {
          int trial = Integer.parseInt(f.get(0).trim());
          int nNeurons = Integer.parseInt(f.get(2).trim());
          long durationMs = Long.parseLong(f.get(3).trim());
          if (trial < 0) {
            throw new BadInputException(where + ": negative trial number " + trial);
          }
          limits.check(where, nNeurons, durationMs, SpikeBinning.nBins(durationMs, binMs));
          Long total = totalCol < 0 ? null : Long.valueOf(f.get(totalCol).trim());
          Trial t = new Trial(trial, f.get(1), nNeurons, (int) durationMs,
              SpikeBinning.nBins(durationMs, binMs), total);
          if (trials.put(trial, t) != null) {
            throw new BadInputException(where + ": trial " + trial + " appears twice");
          }
        } catch (NumberFormatException e) {
          throw new BadInputException(where + ": not a number: " + e.getMessage());
        }
      }
      if (trials.isEmpty()) {
        throw new BadInputException(file + ": no trials");
      }
      return trials;
    } catch (IOException e) {
      // Mostly a cut or fake compressed file (EOF, not in gzip format): the input's fault.
      throw new BadInputException("cannot read trial table " + file + ": " + e.getMessage(), e);
    }
  }
}
