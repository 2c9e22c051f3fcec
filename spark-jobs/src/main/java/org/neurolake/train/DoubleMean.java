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

  /**
   * The mean of {@code vectors} (their remaining values; positions left unchanged), each element
   * summed in double in the list's order and rounded to float once: element for element what
   * adding them to a {@code DoubleMean} in that order gives. It goes through the vectors
   * {@link #CHUNK} elements at a time, all of them per chunk, so the partial sums stay in cache
   * instead of a whole double vector being read and written once per vector.
   */
  static float[] meanOf(java.util.List<java.nio.FloatBuffer> vectors, int length) {
    float[] out = new float[length];
    meanInto(vectors, length, java.nio.FloatBuffer.wrap(out));
    return out;
  }

  /**
   * {@link #meanOf}, written into {@code out} from its position (which it advances by
   * {@code length}) instead of a new array: a slice task writes the mean straight into the block
   * it keeps.
   */
  static void meanInto(java.util.List<java.nio.FloatBuffer> vectors, int length, java.nio.FloatBuffer out) {
    if (vectors.isEmpty()) {
      throw new IllegalStateException("the mean of no vectors");
    }
    if (out.remaining() < length) {
      throw new IllegalArgumentException("room for " + out.remaining() + " of the mean's " + length + " values");
    }
    java.nio.FloatBuffer[] src = new java.nio.FloatBuffer[vectors.size()];
    for (int k = 0; k < src.length; k++) {
      src[k] = vectors.get(k).duplicate();
      if (src[k].remaining() != length) {
        throw new IllegalStateException("a worker returned " + src[k].remaining() + " values, expected " + length);
      }
    }
    double[] sum = new double[Math.min(CHUNK, length)];
    float[] chunk = new float[sum.length];
    for (int off = 0; off < length; off += sum.length) {
      int n = Math.min(sum.length, length - off);
      java.util.Arrays.fill(sum, 0, n, 0.0);
      for (java.nio.FloatBuffer v : src) {
        v.get(chunk, 0, n);
        for (int i = 0; i < n; i++) {
          sum[i] += chunk[i];
        }
      }
      for (int i = 0; i < n; i++) {
        chunk[i] = (float) (sum[i] / src.length);
      }
      out.put(chunk, 0, n);
    }
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
