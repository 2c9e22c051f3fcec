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
 * The trial table that accompanies a sparse spike-event file, one row per trial, its columns found
 * by name ({@link TrialColumns}): the trial id, n_neurons, the length (a duration in ms, or start
 * and stop in ms), optionally the condition and total_spikes; every other column is kept as the
 * trial's metadata. It is the recording's metadata, so any bad row makes the whole recording
 * unreadable (a clear error).
 */
public final class TrialTable {
  private TrialTable() {}

  /**
   * One trial: its condition, size, (when given) the spike total the events must add up to, and its
   * other columns by name.
   */
  public record Trial(int trial, String condition, int nNeurons, int durationMs, int nBins, Long totalSpikes,
      Map<String, String> info) implements Serializable {}

  public static Map<Integer, Trial> read(Configuration conf, Path file, double binMs, RecordingLimits limits) {
    return read(conf, file, binMs, limits, TrialColumns.DEFAULT);
  }

  public static Map<Integer, Trial> read(Configuration conf, Path file, double binMs, RecordingLimits limits,
      TrialColumns names) {
    try (BufferedReader r = LineReaders.openText(conf, file)) {
      String header = r.readLine();
      if (header == null) {
        throw new BadInputException(file + ": empty trial table");
      }
      List<String> cols;
      try {
        cols = CsvLineParser.parse(header).stream().map(String::strip).toList();
      } catch (IllegalArgumentException e) {
        cols = List.of(header);
      }
      Layout at = Layout.of(cols, names, file + ": header '" + LineReaders.shown(header) + "'");
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
        Trial t = at.trial(where, f, binMs, limits);
        if (trials.put(t.trial(), t) != null) {
          throw new BadInputException(where + ": trial " + t.trial() + " appears twice");
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

  /** Where each role's column is in the header (-1: absent), and the metadata columns. */
  private record Layout(List<String> cols, TrialColumns names, int trial, int condition, int neurons, int duration,
      int start, int stop, int total) {
    static Layout of(List<String> cols, TrialColumns names, String header) {
      int trial = cols.indexOf(names.trial());
      int neurons = cols.indexOf(names.neurons());
      int duration = cols.indexOf(names.duration());
      int start = cols.indexOf(names.start());
      int stop = cols.indexOf(names.stop());
      int condition = cols.indexOf(names.condition());
      String options = " (see --trial-column, --neurons-column, --duration-column, --start-column, --stop-column)";
      if (trial < 0 || neurons < 0) {
        throw new BadInputException(header + " has no " + (trial < 0 ? "trial id column '" + names.trial()
            : "neuron count column '" + names.neurons()) + "'" + options);
      }
      if (duration < 0 && (start < 0 || stop < 0)) {
        throw new BadInputException(header + " has neither a duration column '" + names.duration()
            + "' nor start and stop columns '" + names.start() + "', '" + names.stop() + "'" + options);
      }
      if (condition < 0 && names.conditionRequired()) {
        throw new BadInputException(header + " has no condition column '" + names.condition() + "'");
      }
      if (new java.util.HashSet<>(cols).size() != cols.size()) {
        throw new BadInputException(header + " names a column twice");
      }
      return new Layout(cols, names, trial, condition, neurons, duration, start, stop,
          cols.indexOf(names.totalSpikes()));
    }

    Trial trial(String where, List<String> f, double binMs, RecordingLimits limits) {
      try {
        int id = Integer.parseInt(f.get(trial).strip());
        if (id < 0) {
          throw new BadInputException(where + ": negative trial number " + id);
        }
        int nNeurons = Integer.parseInt(f.get(neurons).strip());
        double durationMs = duration >= 0 ? Double.parseDouble(f.get(duration).strip())
            : Double.parseDouble(f.get(stop).strip()) - Double.parseDouble(f.get(start).strip());
        if (durationMs != Math.rint(durationMs)) {
          throw new BadInputException(where + ": trial length " + durationMs + " ms is not a whole number of ms");
        }
        int nBins = SpikeBinning.nBins(durationMs, binMs);
        limits.check(where, nNeurons, durationMs, nBins);
        Long totalSpikes = total < 0 ? null : Long.valueOf(f.get(total).strip());
        Map<String, String> info = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
          if (i != trial && i != condition && i != neurons && i != duration && i != total) {
            info.put(cols.get(i), f.get(i));
          }
        }
        return new Trial(id, condition < 0 ? null : f.get(condition), nNeurons, (int) durationMs, nBins, totalSpikes,
            info);
      } catch (NumberFormatException e) {
        throw new BadInputException(where + ": not a number: " + e.getMessage());
      }
    }
  }
}
