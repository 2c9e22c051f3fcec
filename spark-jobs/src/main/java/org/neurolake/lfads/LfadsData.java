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
 */
public record LfadsData(double validFraction, double testFraction, double heldOutFraction, long splitSeed)
    implements Serializable {
  public static final Set<String> KEYS = Set.of("valid-fraction", "test-fraction", "held-out-fraction", "split-seed",
      TrialWindow.ALIGN_KEY, TrialWindow.WINDOW_KEY);

  public LfadsData {
    // SessionSplit's checks, reported under the names of the run options that set the values.
    try {
      new SessionSplit(validFraction, testFraction, heldOutFraction, splitSeed);
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
          Long.parseLong(options.data("split-seed", "1")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a data.* option is not a number: " + options.data(), e);
    }
  }

  public Map<String, Object> describe() {
    return Map.of("valid_fraction", validFraction, "test_fraction", testFraction, "held_out_fraction",
        heldOutFraction, "split_seed", splitSeed);
  }

  /** The split itself, shared with the baselines' tests. */
  public SessionSplit sessionSplit() {
    return new SessionSplit(validFraction, testFraction, heldOutFraction, splitSeed);
  }

  /** The split of a trial. {@link Split#DEV} is the validation split. */
  public Split split(int trial) {
    return switch (sessionSplit().subsetOf(trial)) {
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
