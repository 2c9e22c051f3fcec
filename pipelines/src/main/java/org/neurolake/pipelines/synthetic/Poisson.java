package org.neurolake.pipelines.synthetic;

import java.util.random.RandomGenerator;

/** Exact Poisson sampling: Knuth's product method, with large means split into sums of small ones. */
public final class Poisson {
  private Poisson() {}

  private static final double CHUNK = 20.0;

  public static int sample(RandomGenerator rng, double mean) {
    if (!(mean >= 0) || Double.isInfinite(mean)) {
      throw new IllegalArgumentException("Poisson mean must be finite and >= 0: " + mean);
    }
    int total = 0;
    double remaining = mean;
    // Sum of independent Poissons is Poisson: keeps exp(-mean) far from underflow.
    while (remaining > CHUNK) {
      total += knuth(rng, CHUNK);
      remaining -= CHUNK;
    }
    return total + knuth(rng, remaining);
  }

  private static int knuth(RandomGenerator rng, double mean) {
    double limit = Math.exp(-mean);
    double p = rng.nextDouble();
    int k = 0;
    while (p > limit) {
      k++;
      p *= rng.nextDouble();
    }
    return k;
  }
}
