package org.neurolake.lfads;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.neurolake.pipelines.text.HashSplitter;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.RunOptions;

/**
 * How an LFADS run divides a session: trials into train / valid / test by a seeded hash of the trial
 * number (stable whatever the partitioning, so the inference and evaluation jobs recompute the same
 * split), and neurons into held-in (the encoder's input) and held-out (only predicted: the
 * co-bps evaluation of the Neural Latents Benchmark). Read from a run's {@code data.*} options.
 *
 * @param heldOutFraction fraction of neurons held out, 0 for none (the synthetic benchmark, scored
 *     by R^2 against the true rates of every neuron)
 */
public record LfadsData(double validFraction, double testFraction, double heldOutFraction, long splitSeed)
    implements Serializable {
  public static final Set<String> KEYS = Set.of("valid-fraction", "test-fraction", "held-out-fraction", "split-seed");

  public LfadsData {
    if (!(validFraction >= 0 && testFraction > 0 && validFraction + testFraction < 1)) {
      throw new IllegalArgumentException("data.valid-fraction >= 0, data.test-fraction > 0 and their sum < 1 required;"
          + " got " + validFraction + ", " + testFraction);
    }
    if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
      throw new IllegalArgumentException("data.held-out-fraction must be in [0, 1): " + heldOutFraction);
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

  /** The split of a trial. {@link Split#DEV} is the validation split. */
  public Split split(int trial) {
    return new HashSplitter(1 - validFraction - testFraction, validFraction).assign(splitSeed + ":" + trial);
  }

  /** The held-out neurons of a session of {@code nNeurons}: a seeded choice, sorted. */
  public int[] heldOutNeurons(int nNeurons) {
    int k = (int) Math.round(heldOutFraction * nNeurons);
    if (heldOutFraction > 0 && (k < 1 || k >= nNeurons)) {
      throw new IllegalArgumentException("held-out fraction " + heldOutFraction + " of " + nNeurons
          + " neurons leaves no held-out or no held-in neuron");
    }
    int[] perm = new int[nNeurons];
    for (int i = 0; i < nNeurons; i++) {
      perm[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(splitSeed * 0x9E3779B97F4A7C15L + 17);
    for (int i = nNeurons - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    int[] out = Arrays.copyOf(perm, k);
    Arrays.sort(out);
    return out;
  }

  /** The complement of {@link #heldOutNeurons}, sorted. */
  public int[] heldInNeurons(int nNeurons) {
    int[] out = heldOutNeurons(nNeurons);
    boolean[] isOut = new boolean[nNeurons];
    for (int n : out) {
      isOut[n] = true;
    }
    return java.util.stream.IntStream.range(0, nNeurons).filter(n -> !isOut[n]).toArray();
  }
}
