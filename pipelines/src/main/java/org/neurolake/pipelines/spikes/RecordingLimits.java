package org.neurolake.pipelines.spikes;

import java.io.Serializable;
import org.neurolake.pipelines.quarantine.BadInputException;

/**
 * Sizes a recording may declare. Readers check declared dimensions against these before they
 * allocate anything, so a corrupt header cannot make a task allocate gigabytes.
 *
 * <p>The per-trial limits alone do not bound a task: many trials at the limit together can still
 * exhaust it. {@code maxBytesInMemory} is the budget of one task reading one recording (what a
 * reader holds at once: the decoded file and the trials' counts); 0 means a quarter of the heap of
 * the JVM the task runs in (the executor's), read where the check runs.
 */
public record RecordingLimits(int maxNeurons, long maxDurationMs, long maxCellsPerTrial, long maxBytesInMemory)
    implements Serializable {
  public static final RecordingLimits DEFAULT = new RecordingLimits(100_000, 24L * 3600 * 1000, 50_000_000L, 0);

  /**
   * What one spike count costs while a trial is held and turned into a row: the int, its box in
   * the row, and Spark's copies of the array on its way to Parquet.
   */
  public static final int BYTES_PER_COUNT = 16;

  public RecordingLimits {
    if (maxNeurons < 1 || maxDurationMs < 1 || maxCellsPerTrial < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (maxBytesInMemory < 0) {
      throw new IllegalArgumentException("the memory budget must be >= 0 (0: a quarter of the heap)");
    }
  }

  /** These limits with a memory budget of {@code bytes} per reading task (0: a quarter of the heap). */
  public RecordingLimits withMaxBytesInMemory(long bytes) {
    return new RecordingLimits(maxNeurons, maxDurationMs, maxCellsPerTrial, bytes);
  }

  /** The memory budget of a task reading one recording, in bytes, in the JVM that calls this. */
  public long memoryBudget() {
    return maxBytesInMemory > 0 ? maxBytesInMemory : Runtime.getRuntime().maxMemory() / 4;
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

  /**
   * Throws a {@link BadInputException} naming {@code where} unless a task can hold {@code bytesHeld}
   * (e.g. the decoded file) and {@code counts} spike counts at once within {@link #memoryBudget()}.
   * Call it with the declared sizes, before allocating.
   */
  public void checkMemory(String where, long bytesHeld, long counts) {
    long budget = memoryBudget();
    long needed = counts > (Long.MAX_VALUE - bytesHeld) / BYTES_PER_COUNT ? Long.MAX_VALUE
        : bytesHeld + counts * BYTES_PER_COUNT;
    if (needed > budget) {
      throw new BadInputException(where + ": " + counts + " spike counts"
          + (bytesHeld > 0 ? " and " + size(bytesHeld) + " of decoded file" : "")
          + " held at once need about " + size(needed) + ", more than the reading task's budget of " + size(budget)
          + " (" + (maxBytesInMemory > 0 ? "--max-recording-memory" : "a quarter of the executor heap;"
          + " see --max-recording-memory") + ")");
    }
  }

  private static String size(long bytes) {
    return bytes == Long.MAX_VALUE ? "more than 8 EiB" : bytes < (1 << 20) ? bytes + " bytes" : (bytes >> 20) + " MiB";
  }
}
