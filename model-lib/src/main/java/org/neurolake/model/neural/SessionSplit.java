package org.neurolake.model.neural;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * How a session is divided for fitting and scoring: trials into training, validation and test by a
 * seeded hash of the trial number (stable whatever the order or partitioning the trials arrive in),
 * and neurons into held-in and held-out by a seeded shuffle. The one definition of both: the LFADS
 * jobs use it (through {@code LfadsData}) and so do the baselines' tests.
 *
 * <p>Runs record {@code (fractions, seed)} in their run.json and lakes, and rely on the same trials
 * being test trials when they are evaluated later: the arithmetic below must never change.
 * {@code SessionSplitTest} pins assignments recorded before it moved here.
 *
 * <p>With {@link Unit#CONDITION} the hash is of the trial's condition instead, so every trial of a
 * condition lands in the same subset: test conditions are never seen in training, which is the
 * harder question (can the model infer dynamics it was not fitted to?) when a recording repeats each
 * condition several times.
 *
 * @param heldOutFraction fraction of neurons held out, 0 for none
 * @param seed the split seed ({@code data.split-seed})
 * @param unit what is hashed: the trial number (the default) or the trial's condition
 */
public record SessionSplit(double validFraction, double testFraction, double heldOutFraction, long seed, Unit unit) {
  /** Which part of the split a trial is in. */
  public enum Subset {
    TRAIN, VALID, TEST
  }

  /** What the split assigns: single trials, or whole conditions with all their trials. */
  public enum Unit {
    TRIAL, CONDITION
  }

  /** A split of single trials. */
  public SessionSplit(double validFraction, double testFraction, double heldOutFraction, long seed) {
    this(validFraction, testFraction, heldOutFraction, seed, Unit.TRIAL);
  }

  public SessionSplit {
    if (unit == null) {
      throw new IllegalArgumentException("a split unit (trial or condition) is required");
    }
    if (!(validFraction >= 0 && testFraction > 0 && validFraction + testFraction < 1)) {
      throw new IllegalArgumentException("valid fraction >= 0, test fraction > 0 and their sum < 1 required; got "
          + validFraction + ", " + testFraction);
    }
    if (!(heldOutFraction >= 0 && heldOutFraction < 1)) {
      throw new IllegalArgumentException("held-out fraction must be in [0, 1): " + heldOutFraction);
    }
  }

  /**
   * The subset of trial number {@code trial}: a uniform value in [0, 1) hashed from
   * {@code "<seed>:<trial>"}, below the training fraction for training, then below training +
   * validation for validation, else test. So the sizes are binomial around the fractions, not exact.
   */
  public Subset subsetOf(int trial) {
    if (unit != Unit.TRIAL) {
      throw new IllegalStateException("a split by " + unit + " needs each trial's condition");
    }
    return subset(seed + ":" + trial);
  }

  /**
   * The subset of a trial with its condition ({@code null} when the recording has none): by the trial
   * number for {@link Unit#TRIAL}, by the condition for {@link Unit#CONDITION}, which then must be
   * present.
   */
  public Subset subsetOf(int trial, String condition) {
    if (unit == Unit.TRIAL) {
      return subsetOf(trial);
    }
    if (condition == null) {
      throw new IllegalArgumentException("trial " + trial + " has no condition: a split by condition"
          + " (data.split-by=condition) needs every trial's condition");
    }
    return subset(seed + ":condition:" + condition);
  }

  private Subset subset(String key) {
    // The expressions are those of the former HashSplitter(1 - valid - test, valid): same doubles,
    // same comparisons, hence the same assignments.
    double trainFraction = 1 - validFraction - testFraction;
    double u = unitInterval(key);
    if (u < trainFraction) {
      return Subset.TRAIN;
    }
    return u < trainFraction + validFraction ? Subset.VALID : Subset.TEST;
  }

  /** The split of trials numbered {@code 0..nTrials-1}, as indices (= trial numbers). */
  public TrialSplit trials(int nTrials) {
    return trials(IntStream.range(0, nTrials).toArray());
  }

  /**
   * The split of trials in the order given: indices into {@code trialNumbers} (the positions of the
   * trials in, say, a {@link SpikeCounts}), by the trial number at each position.
   */
  public TrialSplit trials(int[] trialNumbers) {
    IntStream.Builder train = IntStream.builder();
    IntStream.Builder valid = IntStream.builder();
    IntStream.Builder test = IntStream.builder();
    for (int i = 0; i < trialNumbers.length; i++) {
      switch (subsetOf(trialNumbers[i])) {
        case TRAIN -> train.add(i);
        case VALID -> valid.add(i);
        case TEST -> test.add(i);
      }
    }
    return new TrialSplit(train.build().toArray(), valid.build().toArray(), test.build().toArray());
  }

  /**
   * The held-out neurons of a session of {@code nNeurons}, sorted: the first
   * {@code round(heldOutFraction * nNeurons)} of a seeded Fisher-Yates shuffle of {@code 0..n-1}.
   * Throws when a positive fraction leaves no held-out or no held-in neuron.
   */
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
    // The seed is mixed so that the neuron shuffle is not the trial hash's seed verbatim.
    SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
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
    boolean[] isOut = new boolean[nNeurons];
    for (int n : heldOutNeurons(nNeurons)) {
      isOut[n] = true;
    }
    return IntStream.range(0, nNeurons).filter(n -> !isOut[n]).toArray();
  }

  /** {@link #heldInNeurons} and {@link #heldOutNeurons} as a {@link NeuronSplit}. */
  public NeuronSplit neurons(int nNeurons) {
    return new NeuronSplit(nNeurons, heldInNeurons(nNeurons), heldOutNeurons(nNeurons));
  }

  /**
   * A uniform value in [0, 1) from a 64-bit FNV-1a hash of the UTF-8 bytes, finished by the
   * splitmix64 mixer (FNV alone leaves the high bits poorly mixed for short keys). The same function
   * as the text ingestion's {@code HashSplitter}, which LFADS splits used before they moved here.
   */
  static double unitInterval(String key) {
    long h = 0xcbf29ce484222325L;
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return (h >>> 11) * 0x1.0p-53;
  }
}
