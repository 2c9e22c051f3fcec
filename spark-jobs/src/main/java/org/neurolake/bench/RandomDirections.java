package org.neurolake.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded random directions for timing an objective: standard normal coordinates, not normalized. */
final class RandomDirections {
  private RandomDirections() {}

  /** {@code count} directions of {@code dims} coordinates, drawn in order from {@code new Random(seed)}. */
  static List<double[]> gaussian(long seed, int count, int dims) {
    List<double[]> directions = new ArrayList<>(count);
    Random random = new Random(seed);
    for (int r = 0; r < count; r++) {
      double[] u = new double[dims];
      for (int i = 0; i < u.length; i++) {
        u[i] = random.nextGaussian();
      }
      directions.add(u);
    }
    return directions;
  }
}
