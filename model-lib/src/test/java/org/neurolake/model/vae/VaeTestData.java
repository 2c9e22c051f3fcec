package org.neurolake.model.vae;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;

/** Tiny generated sentence batches for the VAE's tests. */
final class VaeTestData {
  private VaeTestData() {}

  /** Sentences of the given lengths (ids 3 .. V-1, then {@code <eos>} = 1), padded to the longest. */
  static Batch batch(int vocab, int[] lengths, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int steps = java.util.Arrays.stream(lengths).max().orElse(1);
    float[][] ids = new float[lengths.length][steps];
    float[][] mask = new float[lengths.length][steps];
    for (int b = 0; b < lengths.length; b++) {
      for (int t = 0; t < lengths[b]; t++) {
        ids[b][t] = t == lengths[b] - 1 ? 1 : 3 + r.nextInt(vocab - 3);
        mask[b][t] = 1;
      }
    }
    INDArray f = Nd4j.createFromArray(ids);
    return new Batch(f, f, Nd4j.createFromArray(mask), null);
  }

  static double[] randomParameters(long size, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] p = new double[(int) size];
    for (int i = 0; i < p.length; i++) {
      p[i] = r.nextGaussian() * 0.5;
    }
    return p;
  }
}
