package org.neurolake.model.lfads;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ExampleShard;

/**
 * Spike-count trials of equal length for LFADS. Counts are stored time-major per trial: trial i,
 * bin t, neuron j (0 <= j < nOut; the nIn held-in neurons first, then the held-out ones) at
 * {@code (i * nBins + t) * nOut + j}.
 *
 * <p>{@link #batch} returns features = held-in counts, shape [n, nBins, nIn], and labels = all
 * counts, shape [n, nBins, nOut], both float, C order.
 */
public final class SpikeShard implements ExampleShard {
  private static final long serialVersionUID = 1L;

  private final float[] counts;
  private final int trials;
  private final int nBins;
  private final int nIn;
  private final int nOut;

  /** Wraps (does not copy) {@code counts} laid out as described on the class. */
  public SpikeShard(float[] counts, int trials, int nBins, int nIn, int nOut) {
    if (trials < 0 || nBins < 1 || nIn < 1 || nOut < nIn) {
      throw new IllegalArgumentException("need trials >= 0, nBins >= 1, 1 <= nIn <= nOut: trials=" + trials
          + " nBins=" + nBins + " nIn=" + nIn + " nOut=" + nOut);
    }
    if (counts.length != (long) trials * nBins * nOut) {
      throw new IllegalArgumentException("counts hold " + counts.length + " values, expected trials x nBins x nOut = "
          + trials + " x " + nBins + " x " + nOut);
    }
    for (int i = 0; i < counts.length; i++) {
      if (!(counts[i] >= 0) || Float.isInfinite(counts[i])) {
        throw new IllegalArgumentException("count " + counts[i] + " at trial " + i / (nBins * nOut) + ", bin "
            + (i / nOut) % nBins + ", neuron " + i % nOut + " is not a finite count >= 0");
      }
    }
    this.counts = counts;
    this.trials = trials;
    this.nBins = nBins;
    this.nIn = nIn;
    this.nOut = nOut;
  }

  /**
   * From the {@code spike_trials} layout: each element of {@code counts} is one trial,
   * neuron-major ({@code counts[neuron * nBins + bin]}) over {@code nNeurons} neurons; the shard's
   * neurons are {@code heldInNeurons} then {@code heldOutNeurons} (indices into the recording,
   * disjoint; held-out may be empty).
   */
  public static SpikeShard fromNeuronMajor(List<int[]> counts, int nNeurons, int nBins, int[] heldInNeurons,
      int[] heldOutNeurons) {
    if (nNeurons < 1 || nBins < 1) {
      throw new IllegalArgumentException("need nNeurons >= 1 and nBins >= 1: " + nNeurons + ", " + nBins);
    }
    if (heldInNeurons.length == 0) {
      throw new IllegalArgumentException("no held-in neurons");
    }
    int[] order = new int[heldInNeurons.length + heldOutNeurons.length];
    System.arraycopy(heldInNeurons, 0, order, 0, heldInNeurons.length);
    System.arraycopy(heldOutNeurons, 0, order, heldInNeurons.length, heldOutNeurons.length);
    boolean[] seen = new boolean[nNeurons];
    for (int n : order) {
      if (n < 0 || n >= nNeurons) {
        throw new IllegalArgumentException("neuron " + n + " outside [0, " + nNeurons + ")");
      }
      if (seen[n]) {
        throw new IllegalArgumentException("neuron " + n + " listed twice in held-in " + Arrays.toString(heldInNeurons)
            + " / held-out " + Arrays.toString(heldOutNeurons));
      }
      seen[n] = true;
    }
    int nOut = order.length;
    float[] packed = new float[counts.size() * nBins * nOut];
    for (int i = 0; i < counts.size(); i++) {
      int[] trial = counts.get(i);
      if (trial.length != nNeurons * nBins) {
        throw new IllegalArgumentException("trial " + i + " has " + trial.length + " counts, expected nNeurons x nBins = "
            + nNeurons + " x " + nBins);
      }
      for (int t = 0; t < nBins; t++) {
        for (int j = 0; j < nOut; j++) {
          packed[(i * nBins + t) * nOut + j] = trial[order[j] * nBins + t];
        }
      }
    }
    return new SpikeShard(packed, counts.size(), nBins, heldInNeurons.length, nOut);
  }

  @Override
  public int size() {
    return trials;
  }

  public int nBins() {
    return nBins;
  }

  public int nIn() {
    return nIn;
  }

  public int nOut() {
    return nOut;
  }

  /** The count of trial {@code trial}, bin {@code bin}, shard neuron {@code neuron}. */
  public float count(int trial, int bin, int neuron) {
    return counts[(trial * nBins + bin) * nOut + neuron];
  }

  /**
   * The first {@code bins} bins of every trial (the observed window when the last bins are held out
   * in time for forward prediction); this shard itself when {@code bins = nBins}.
   */
  public SpikeShard firstBins(int bins) {
    if (bins < 1 || bins > nBins) {
      throw new IllegalArgumentException("first " + bins + " bins of trials of " + nBins + " bins");
    }
    if (bins == nBins) {
      return this;
    }
    float[] cut = new float[trials * bins * nOut];
    for (int i = 0; i < trials; i++) {
      System.arraycopy(counts, i * nBins * nOut, cut, i * bins * nOut, bins * nOut);
    }
    return new SpikeShard(cut, trials, bins, nIn, nOut);
  }

  @Override
  public Batch batch(int from, int n) {
    if (trials == 0) {
      throw new IllegalStateException("empty shard");
    }
    if (n < 1) {
      throw new IllegalArgumentException("batch size must be >= 1: " + n);
    }
    float[] features = new float[n * nBins * nIn];
    float[] labels = new float[n * nBins * nOut];
    for (int i = 0; i < n; i++) {
      int trial = Math.floorMod(from + i, trials);
      System.arraycopy(counts, trial * nBins * nOut, labels, i * nBins * nOut, nBins * nOut);
      for (int t = 0; t < nBins; t++) {
        System.arraycopy(counts, (trial * nBins + t) * nOut, features, (i * nBins + t) * nIn, nIn);
      }
    }
    return new Batch(Nd4j.create(features, new long[] {n, nBins, nIn}, 'c'),
        Nd4j.create(labels, new long[] {n, nBins, nOut}, 'c'));
  }

  @Override
  public String toString() {
    return "SpikeShard[" + trials + " trials x " + nBins + " bins, " + nIn + " held-in + " + (nOut - nIn)
        + " held-out neurons]";
  }
}
