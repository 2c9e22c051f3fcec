package org.neurolake.model.lfads;

import java.util.SplittableRandom;
import org.neurolake.model.api.Batch;

/** Small random spike data for the LFADS tests. */
public final class LfadsTestData {
  private LfadsTestData() {}

  /** Poisson counts with rates varying over neurons and bins (mean about 1.5 per bin). */
  public static SpikeShard randomShard(int trials, int bins, int nIn, int nOut, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] counts = new float[trials * bins * nOut];
    for (int i = 0; i < trials; i++) {
      double phase = rng.nextDouble() * 6.28;
      for (int t = 0; t < bins; t++) {
        for (int j = 0; j < nOut; j++) {
          double rate = 1.5 * Math.exp(0.6 * Math.sin(phase + 0.4 * t + j));
          counts[(i * bins + t) * nOut + j] = poisson(rng, rate);
        }
      }
    }
    return new SpikeShard(counts, trials, bins, nIn, nOut);
  }

  /** A Poisson draw by Knuth's product of uniforms (fine for the small means of test fixtures). */
  public static int poisson(SplittableRandom rng, double mean) {
    double limit = Math.exp(-mean);
    double p = rng.nextDouble();
    int k = 0;
    while (p > limit) {
      k++;
      p *= rng.nextDouble();
    }
    return k;
  }

  static Batch batch(SpikeShard shard) {
    return shard.batch(0, shard.size());
  }
}
