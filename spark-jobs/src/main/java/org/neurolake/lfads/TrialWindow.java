package org.neurolake.lfads;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import org.neurolake.train.RunOptions;

/**
 * Which part of every trial a model on spike data sees: the whole trial (the default), or a fixed
 * window {@code [from, to)} ms around an alignment point, the trial's start or an event column of
 * its {@code trial_info} (ms from the trial start), as the LFADS papers and the Neural Latents
 * Benchmark cut variable-length trials. Run options {@code data.align} and {@code data.window-ms}
 * ({@code -250:450}). The window starts in the bin that holds {@code event + from} and spans
 * {@code (to - from) / bin_ms} bins, which must be whole.
 *
 * @param align {@link #START} or a trial_info column
 * @param fromMs the window's start relative to the alignment point, null for the whole trial
 * @param toMs its end (exclusive), null for the whole trial
 */
public record TrialWindow(@JsonProperty("align") String align, @JsonProperty("from_ms") Double fromMs,
    @JsonProperty("to_ms") Double toMs) implements Serializable {
  public static final String START = "start";
  public static final String ALIGN_KEY = "align";
  public static final String WINDOW_KEY = "window-ms";
  public static final Set<String> KEYS = Set.of(ALIGN_KEY, WINDOW_KEY);
  /** The whole trial, aligned to its start: the pipeline's behaviour before windows existed. */
  public static final TrialWindow WHOLE = new TrialWindow(START, null, null);

  private static final double EPS = 1e-9;

  public TrialWindow {
    if (align == null || align.isBlank()) {
      throw new IllegalArgumentException("data." + ALIGN_KEY + " must name 'start' or a trial_info column");
    }
    if ((fromMs == null) != (toMs == null)) {
      throw new IllegalArgumentException("data." + WINDOW_KEY + " needs both ends");
    }
    if (fromMs == null && !align.equals(START)) {
      throw new IllegalArgumentException("data." + ALIGN_KEY + " = " + align + " needs data." + WINDOW_KEY
          + " (e.g. -250:450), the window to cut around it");
    }
    if (fromMs != null && (!Double.isFinite(fromMs) || !Double.isFinite(toMs) || !(toMs > fromMs))) {
      throw new IllegalArgumentException("data." + WINDOW_KEY + " = " + fromMs + ":" + toMs
          + " must be FROM:TO ms with FROM < TO");
    }
  }

  /** From a run's {@code data.align} (default start) and {@code data.window-ms} (default: whole trial). */
  public static TrialWindow from(RunOptions options) {
    return parse(options.data(ALIGN_KEY, START), options.data(WINDOW_KEY, null));
  }

  /** {@code windowMs} is {@code FROM:TO} in ms (FROM may be negative), or null for the whole trial. */
  public static TrialWindow parse(String align, String windowMs) {
    if (windowMs == null) {
      return new TrialWindow(align, null, null);
    }
    String[] ends = windowMs.strip().split(":", -1);
    try {
      if (ends.length != 2) {
        throw new NumberFormatException("not FROM:TO");
      }
      return new TrialWindow(align, Double.parseDouble(ends[0].strip()), Double.parseDouble(ends[1].strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("data." + WINDOW_KEY + " = '" + windowMs + "' is not FROM:TO in ms (e.g."
          + " -250:450)", e);
    }
  }

  @JsonIgnore
  public boolean isWhole() {
    return fromMs == null;
  }

  /** The window's length in bins of {@code binMs}; throws unless it is whole. */
  public int nBins(double binMs) {
    double n = (toMs - fromMs) / binMs;
    long r = Math.round(n);
    if (r < 1 || Math.abs(n - r) > 1e-6) {
      throw new IllegalArgumentException("data." + WINDOW_KEY + " = " + fromMs + ":" + toMs + " is "
          + (toMs - fromMs) + " ms, not a whole number of " + binMs + " ms bins");
    }
    return (int) r;
  }

  /** Where the window falls in one trial: its first bin, or why it cannot be cut (then firstBin is -1). */
  public record Placement(int firstBin, String outside) {
    public boolean fits() {
      return outside == null;
    }
  }

  /**
   * The window in a trial of {@code nBins} bins of {@code binMs}, with metadata {@code info} (null
   * when the trial has none).
   */
  public Placement place(int nBins, double binMs, Map<String, String> info) {
    double event;
    if (align.equals(START)) {
      event = 0;
    } else {
      String v = info == null ? null : info.get(align);
      if (v == null || v.isBlank()) {
        return new Placement(-1, "has no " + align + " in trial_info");
      }
      try {
        event = Double.parseDouble(v.strip());
      } catch (NumberFormatException e) {
        return new Placement(-1, align + " = '" + v + "' is not a number of ms");
      }
      if (!Double.isFinite(event)) {
        return new Placement(-1, align + " is " + v);
      }
    }
    double startMs = event + fromMs;
    if (startMs < -EPS) {
      return new Placement(-1, "window starts at " + startMs + " ms, before the trial's start");
    }
    int first = (int) Math.floor(startMs / binMs + EPS);
    int n = nBins(binMs);
    if (first + n > nBins) {
      return new Placement(-1, "window ends at bin " + (first + n) + " (" + (event + toMs) + " ms), after the"
          + " trial's " + nBins + " bins");
    }
    return new Placement(first, null);
  }

  /** The run record's description. */
  public Map<String, Object> describe() {
    return isWhole() ? Map.of("align", align, "window_ms", "whole trial")
        : Map.of("align", align, "from_ms", fromMs, "to_ms", toMs);
  }
}
