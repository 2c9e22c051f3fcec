package org.neurolake.pipelines.spikes;

import java.io.Serializable;
import org.neurolake.pipelines.quarantine.BadInputException;

/**
 * Sizes a recording may declare. Readers check declared dimensions against these before they
 * allocate anything, so a corrupt header cannot make a task allocate gigabytes.
 */
public record RecordingLimits(int maxNeurons, long maxDurationMs, long maxCellsPerTrial) implements Serializable {
  public static final RecordingLimits DEFAULT = new RecordingLimits(100_000, 24L * 3600 * 1000, 50_000_000L);

  public RecordingLimits {
    if (maxNeurons < 1 || maxDurationMs < 1 || maxCellsPerTrial < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }

  /** Throws a {@link BadInputException} naming {@code where} unless the dimensions are sane. */
  public void check(String where, long nNeurons, double durationMs, long nBins) {
    if (nNeurons < 1 || nNeurons > maxNeurons) {
      throw new BadInputException(where + ": n_neurons = " + nNeurons + " is outside [1, " + maxNeurons + "]");
    }
    if (!(durationMs > 0) || durationMs > maxDurationMs) {
      throw new BadInputException(where + ": trial duration " + durationMs + " ms is outside (0, " + maxDurationMs + "]");
    }
    if (nBins < 1 || nNeurons * nBins > maxCellsPerTrial) {
      throw new BadInputException(where + ": " + nNeurons + " neurons x " + nBins + " bins exceeds the limit of "
          + maxCellsPerTrial + " counts per trial");
    }
  }
}
