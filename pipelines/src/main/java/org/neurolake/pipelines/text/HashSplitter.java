package org.neurolake.pipelines.text;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * Assigns a split from a hash of the document id, for sources that have none: the same id always
 * lands in the same split, on any machine and in any run, whatever the partitioning.
 */
public record HashSplitter(double trainFraction, double devFraction) implements Serializable {
  public HashSplitter {
    if (!(trainFraction >= 0 && devFraction >= 0 && trainFraction + devFraction <= 1.0 + 1e-12)) {
      throw new IllegalArgumentException("split fractions must be >= 0 and sum to <= 1: train="
          + trainFraction + " dev=" + devFraction);
    }
  }

  public static final HashSplitter DEFAULT = new HashSplitter(0.9, 0.05);

  public Split assign(String docId) {
    double u = unitInterval(docId);
    if (u < trainFraction) {
      return Split.TRAIN;
    }
    return u < trainFraction + devFraction ? Split.DEV : Split.TEST;
  }

  /** A uniform value in [0, 1) from a 64-bit FNV-1a hash of the UTF-8 bytes, finished by a strong mixer. */
  static double unitInterval(String id) {
    long h = 0xcbf29ce484222325L;
    for (byte b : id.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    // splitmix64 finalizer: FNV alone leaves the high bits poorly mixed for short keys.
    h ^= h >>> 30;
    h *= 0xbf58476d1ce4e5b9L;
    h ^= h >>> 27;
    h *= 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return (h >>> 11) * 0x1.0p-53;
  }
}
