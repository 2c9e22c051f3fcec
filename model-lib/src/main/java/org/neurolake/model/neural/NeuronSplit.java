package org.neurolake.model.neural;

import java.util.Arrays;

/**
 * A partition of the neurons {@code 0..nNeurons-1} into held-in neurons, whose spikes a model sees
 * on every trial, and held-out neurons, whose rates it must predict from the held-in ones (NLB's
 * co-smoothing). Both sets sorted ascending; held-in is never empty, held-out may be (every neuron
 * observed, as for the synthetic R^2 evaluation). Immutable: arrays are copied in and out. The
 * seeded split of a session is {@link SessionSplit#neurons}.
 */
public record NeuronSplit(int nNeurons, int[] heldIn, int[] heldOut) {
  public NeuronSplit {
    heldIn = heldIn.clone();
    heldOut = heldOut.clone();
    Arrays.sort(heldIn);
    Arrays.sort(heldOut);
    if (heldIn.length == 0 || heldIn.length + heldOut.length != nNeurons) {
      throw new IllegalArgumentException("neuron split: need >= 1 held-in neuron and held-in + held-out = "
          + nNeurons + "; got " + heldIn.length + " + " + heldOut.length);
    }
    boolean[] seen = new boolean[nNeurons];
    for (int[] set : new int[][] {heldIn, heldOut}) {
      for (int n : set) {
        if (n < 0 || n >= nNeurons || seen[n]) {
          throw new IllegalArgumentException("neuron split: index " + n + " is out of [0, " + nNeurons
              + ") or repeated");
        }
        seen[n] = true;
      }
    }
  }

  /** Every neuron held in. */
  public static NeuronSplit allHeldIn(int nNeurons) {
    int[] all = new int[nNeurons];
    for (int i = 0; i < nNeurons; i++) {
      all[i] = i;
    }
    return new NeuronSplit(nNeurons, all, new int[0]);
  }

  @Override
  public int[] heldIn() {
    return heldIn.clone();
  }

  @Override
  public int[] heldOut() {
    return heldOut.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NeuronSplit s && s.nNeurons == nNeurons && Arrays.equals(s.heldIn, heldIn)
        && Arrays.equals(s.heldOut, heldOut);
  }

  @Override
  public int hashCode() {
    return 31 * nNeurons + Arrays.hashCode(heldIn) * 17 + Arrays.hashCode(heldOut);
  }

  @Override
  public String toString() {
    return "NeuronSplit[" + heldIn.length + " held-in, " + heldOut.length + " held-out]";
  }
}
