package org.neurolake.pipelines.spikes;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.neurolake.pipelines.quarantine.QuarantineRecord;
import org.neurolake.pipelines.text.CsvLineParser;
import org.neurolake.pipelines.text.RecordException;

/**
 * One line of a sparse spike-event CSV ({@code trial,neuron,t_ms,count}), already placed in its
 * bin: {@code cell = neuron * n_bins + bin}. A line that cannot be placed is carried as a refusal.
 */
public record SpikeEvent(int trial, int cell, int count, QuarantineRecord refusal) implements Serializable {
  public static final String HEADER = "trial,neuron,t_ms,count";

  public boolean ok() {
    return refusal == null;
  }

  /** Parses and places one line against its trial table. */
  public static SpikeEvent parse(String line, Map<Integer, TrialTable.Trial> trials, double binMs) throws RecordException {
    List<String> f;
    try {
      f = CsvLineParser.parse(line);
    } catch (IllegalArgumentException e) {
      throw new RecordException("malformed CSV: " + e.getMessage());
    }
    if (f.size() != 4) {
      throw new RecordException("event row has " + f.size() + " columns, expected 4 (" + HEADER + ")");
    }
    int trial;
    int neuron;
    double tMs;
    int count;
    try {
      trial = Integer.parseInt(f.get(0).trim());
      neuron = Integer.parseInt(f.get(1).trim());
      tMs = Double.parseDouble(f.get(2).trim());
      count = Integer.parseInt(f.get(3).trim());
    } catch (NumberFormatException e) {
      throw new RecordException("not a number: " + e.getMessage());
    }
    TrialTable.Trial t = trials.get(trial);
    if (t == null) {
      throw new RecordException("trial " + trial + " is not in the trial table");
    }
    if (neuron < 0 || neuron >= t.nNeurons()) {
      throw new RecordException("neuron " + neuron + " is outside [0, " + t.nNeurons() + ") of trial " + trial);
    }
    if (!(tMs >= 0 && tMs < t.durationMs())) {
      throw new RecordException("t_ms " + tMs + " is outside [0, " + t.durationMs() + ") of trial " + trial);
    }
    if (count < 1) {
      throw new RecordException("count " + count + " is not a positive spike count");
    }
    return new SpikeEvent(trial, neuron * t.nBins() + SpikeBinning.binOf(tMs, binMs), count, null);
  }
}
