package org.neurolake.model.mlp;

import java.util.SplittableRandom;

/** Test data: three well-separated Gaussian blobs in 8 dimensions, labels 0..2. */
public final class Blobs {
  private Blobs() {}

  public static DenseShard of(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * 8];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(3);
      for (int f = 0; f < 8; f++) {
        x[i * 8 + f] = (float) (r.nextGaussian() + (f % 3 == y[i] ? 2.0 : 0.0));
      }
    }
    return new DenseShard(x, y, 8, 3);
  }
}
