package org.neurolake.lfads;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import org.neurolake.model.neural.SessionSplit;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.RunOptions;

/**
 * How an LFADS run divides a session: trials into train / valid / test by a seeded hash of the trial
 * number (stable whatever the partitioning, so the inference and evaluation jobs recompute the same
 * split), and neurons into held-in (the encoder's input) and held-out (only predicted: the
 * co-bps evaluation of the Neural Latents Benchmark). Read from a run's {@code data.*} options; the
 * arithmetic is {@link SessionSplit}'s, which the baselines' tests use too.
 *
 * @param heldOutFraction fraction of neurons held out, 0 for none (the synthetic benchmark, scored
 *     by R^2 against the true rates of every neuron)
 * @param splitBy what the trial split hashes ({@code data.split-by}): single trials (the default), or
 *     whole conditions, so no test condition is seen in training
 * @param forwardBins bins at the end of every trial held out in time ({@code data.forward-bins}, 0 for
 *     none): the models see only the bins before them (training and inference) and are scored on
 *     predicting every neuron there (fp-bps, as the Neural Latents Benchmark)
 */
public record LfadsData(double validFraction, double testFraction, double heldOutFraction, long splitSeed,
    SessionSplit.Unit splitBy, int forwardBins) implements Serializable {
  public static final String FORWARD_BINS_KEY = "forward-bins";
  public static final Set<String> KEYS = Set.of("valid-fraction", "test-fraction", "held-out-fraction", "split-seed",
      "split-by", FORWARD_BINS_KEY, TrialWindow.ALIGN_KEY, TrialWindow.WINDOW_KEY);

  /** A split of single trials. */
  public LfadsData(double validFraction, double testFraction, double heldOutFraction, long splitSeed) {
    this(validFraction, testFraction, heldOutFraction, splitSeed, SessionSplit.Unit.TRIAL);
  }

  /** No bins held out in time. */
  public LfadsData(double validFraction, double testFraction, double heldOutFraction, long splitSeed,
      SessionSplit.Unit splitBy) {
    this(validFraction, testFraction, heldOutFraction, splitSeed, splitBy, 0);
  }

  public LfadsData {
    if (forwardBins < 0) {
      throw new IllegalArgumentException("data." + FORWARD_BINS_KEY + " must be >= 0: " + forwardBins);
    }
    // SessionSplit's checks, reported under the names of the run options that set the values.
    try {
      new SessionSplit(validFraction, testFraction, heldOutFraction, splitSeed, splitBy);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("data.valid-fraction, data.test-fraction, data.held-out-fraction: "
          + e.getMessage(), e);
    }
  }

  public static LfadsData from(RunOptions options) {
    options.requireDataKeys(KEYS);
    try {
      return new LfadsData(Double.parseDouble(options.data("valid-fraction", "0.1")),
          Double.parseDouble(options.data("test-fraction", "0.2")),
          Double.parseDouble(options.data("held-out-fraction", "0")),
          Long.parseLong(options.data("split-seed", "1")), splitUnit(options.data("split-by", "trial")),
          Integer.parseInt(options.data(FORWARD_BINS_KEY, "0").trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a data.* option is not a number: " + options.data(), e);
    }
  }

  private static SessionSplit.Unit splitUnit(String value) {
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "trial" -> SessionSplit.Unit.TRIAL;
      case "condition" -> SessionSplit.Unit.CONDITION;
      default -> throw new IllegalArgumentException("data.split-by must be trial or condition, not '" + value + "'");
    };
  }

  public Map<String, Object> describe() {
    return Map.of("forward_bins", forwardBins, "valid_fraction", validFraction, "test_fraction", testFraction, "held_out_fraction",
        heldOutFraction, "split_seed", splitSeed, "split_by", splitBy.name().toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The bins of a {@code nBins}-bin trial the models see, before the {@link #forwardBins} held out;
   * throws naming the option when none would be left.
   */
  public int observedBins(int nBins) {
    if (forwardBins >= nBins) {
      throw new IllegalArgumentException("data." + FORWARD_BINS_KEY + "=" + forwardBins + " leaves no observed bin"
          + " of trials of " + nBins + " bins");
    }
    return nBins - forwardBins;
  }

  /** The split itself, shared with the baselines' tests. */
  public SessionSplit sessionSplit() {
    return new SessionSplit(validFraction, testFraction, heldOutFraction, splitSeed, splitBy);
  }

  /**
   * The split of a trial with its condition ({@code null} when the recording has none; required when
   * splitting by condition). {@link Split#DEV} is the validation split.
   */
  public Split split(int trial, String condition) {
    return switch (sessionSplit().subsetOf(trial, condition)) {
      case TRAIN -> Split.TRAIN;
      case VALID -> Split.DEV;
      case TEST -> Split.TEST;
    };
  }

  /** The held-out neurons of a session of {@code nNeurons}: a seeded choice, sorted. */
  public int[] heldOutNeurons(int nNeurons) {
    return sessionSplit().heldOutNeurons(nNeurons);
  }

  /** The complement of {@link #heldOutNeurons}, sorted. */
  public int[] heldInNeurons(int nNeurons) {
    return sessionSplit().heldInNeurons(nNeurons);
  }
}
