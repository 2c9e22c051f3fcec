package org.neurolake.train;

/**
 * The mean of float vectors of one length, summed in double in the order they are added and
 * rounded to float once at the end. The engine's averages (a whole vector in {@link FirstNAverage},
 * one slice of it in {@link SliceAverageTask}) all go through this class, so a sliced average is
 * element for element the whole one when the vectors are added in the same order.
 */
final class DoubleMean {
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
