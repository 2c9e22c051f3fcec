package org.neurolake.train;

/**
 * The mean of float vectors of one length, summed in double in the order they are added and
 * rounded to float once at the end. The engine's averages (a whole vector in {@link FirstNAverage},
 * one slice of it in {@link SliceAverageTask}) all go through this class, so a sliced average is
 * element for element the whole one when the vectors are added in the same order.
 */
final class DoubleMean {
  /** Floats copied at a time by {@link #add(java.nio.FloatBuffer)}: 64 KB. */
  static final int CHUNK = 16_384;

  private final double[] sum;
  private int count;

  DoubleMean(int length) {
    this.sum = new double[length];
  }

  void add(float[] v) {
    if (v.length != sum.length) {
      throw new IllegalStateException("a worker returned " + v.length + " values, expected " + sum.length);
    }
    for (int i = 0; i < v.length; i++) {
      sum[i] += v[i];
    }
    count++;
  }

  /**
   * Adds the remaining values of {@code v} (its position is left unchanged), through a buffer of at
   * most {@link #CHUNK} floats rather than a copy of the whole vector.
   */
  void add(java.nio.FloatBuffer v) {
    java.nio.FloatBuffer src = v.duplicate();
    if (src.remaining() != sum.length) {
      throw new IllegalStateException("a worker returned " + src.remaining() + " values, expected " + sum.length);
    }
    float[] chunk = new float[Math.min(CHUNK, sum.length)];
    for (int off = 0; off < sum.length; off += chunk.length) {
      int n = Math.min(chunk.length, sum.length - off);
      src.get(chunk, 0, n);
      for (int i = 0; i < n; i++) {
        sum[off + i] += chunk[i];
      }
    }
    count++;
  }

  int count() {
    return count;
  }

  /** The mean of the vectors added, as floats. */
  float[] mean() {
    if (count == 0) {
      throw new IllegalStateException("the mean of no vectors");
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = (float) (sum[i] / count);
    }
    return out;
  }
}
