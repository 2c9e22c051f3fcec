package org.neurolake.pipelines.spikes;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which columns of a trial table (an events recording's CSV, an NWB trials table) hold what, found
 * by name. Required: the trial id, the number of neurons (CSV only) and the trial's length, either
 * a duration column or start and stop columns (ms). The condition is optional unless named
 * explicitly; a total-spikes column, when present, is checked against the events. Every other column
 * becomes the trial's {@code trial_info}.
 *
 * @param conditionRequired whether a missing condition column is an error (it was named explicitly)
 */
public record TrialColumns(String trial, String condition, boolean conditionRequired, String neurons,
    String duration, String start, String stop, String totalSpikes) implements Serializable {
  public static final String TRIAL = "trial";
  public static final String CONDITION = "condition";
  public static final String NEURONS = "n_neurons";
  public static final String DURATION = "n_bins_1ms";
  public static final String START = "start_ms";
  public static final String STOP = "stop_ms";
  public static final String TOTAL_SPIKES = "total_spikes";

  /** The names of the recordings in {@code ../shared/data} (and the only ones accepted before). */
  public static final TrialColumns DEFAULT = new TrialColumns(TRIAL, CONDITION, false, NEURONS, DURATION, START,
      STOP, TOTAL_SPIKES);

  public TrialColumns {
    List<String> names = java.util.Arrays.asList(trial, condition, neurons, duration, start, stop, totalSpikes);
    for (String n : names) {
      if (n == null || n.isBlank()) {
        throw new IllegalArgumentException("trial table column names must not be empty: " + names);
      }
    }
    Set<String> seen = new HashSet<>();
    for (String n : names) {
      if (!seen.add(n)) {
        throw new IllegalArgumentException("trial table column '" + n + "' is named for two roles: " + names);
      }
    }
  }

  /**
   * The defaults with the given names in place (null keeps a default). A condition column given
   * here must exist.
   */
  public static TrialColumns of(String trial, String condition, String neurons, String duration, String start,
      String stop) {
    return new TrialColumns(Objects.requireNonNullElse(trial, TRIAL), Objects.requireNonNullElse(condition, CONDITION),
        condition != null, Objects.requireNonNullElse(neurons, NEURONS), Objects.requireNonNullElse(duration, DURATION),
        Objects.requireNonNullElse(start, START), Objects.requireNonNullElse(stop, STOP), TOTAL_SPIKES);
  }
}
