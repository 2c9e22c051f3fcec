package org.neurolake.model.lfads;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;

/**
 * A {@link Batch} of trials turned time-major for the model: {@code x} the encoder input [T][B][nIn],
 * {@code y} the likelihood's counts [T][B][nOut].
 */
record TrialBatch(float[] x, float[] y, int trials, int bins) {
  static TrialBatch of(Batch batch, LfadsSpec spec) {
    check(batch, spec);
    INDArray f = batch.features();
    INDArray l = batch.labels();
    int n = (int) f.size(0);
    int bins = (int) f.size(1);
    return new TrialBatch(timeMajor(f, n, bins, spec.nIn()), timeMajor(l, n, bins, spec.nOut()), n, bins);
  }

  /**
   * Checks that {@code batch} holds unmasked features [trials, bins, nIn] and labels [trials, bins,
   * nOut] of at least one trial and bin, failing naming the shapes otherwise.
   */
  static void check(Batch batch, LfadsSpec spec) {
    if (batch.featuresMask() != null || batch.labelsMask() != null) {
      throw new IllegalArgumentException("LFADS takes equal-length trials: masks are not supported");
    }
    INDArray f = batch.features();
    INDArray l = batch.labels();
    if (f.rank() != 3 || l.rank() != 3) {
      throw new IllegalArgumentException("LFADS needs features [trials, bins, nIn] and labels [trials, bins, nOut], got "
          + java.util.Arrays.toString(f.shape()) + " and " + java.util.Arrays.toString(l.shape()));
    }
    int n = (int) f.size(0);
    int bins = (int) f.size(1);
    if (f.size(2) != spec.nIn() || l.size(1) != bins || l.size(2) != spec.nOut()) {
      throw new IllegalArgumentException("expected features [" + n + ", " + bins + ", " + spec.nIn() + "] and labels ["
          + n + ", " + bins + ", " + spec.nOut() + "], got " + java.util.Arrays.toString(f.shape()) + " and "
          + java.util.Arrays.toString(l.shape()));
    }
    if (n < 1 || bins < 1) {
      throw new IllegalArgumentException("empty batch: " + n + " trials of " + bins + " bins");
    }
  }

  private static float[] timeMajor(INDArray a, int n, int bins, int width) {
    boolean packed = a.dataType() == DataType.FLOAT && a.ordering() == 'c' && !a.isView() && a.offset() == 0
        && a.data().length() == a.length();
    float[] src = packed ? a.data().asFloat() : Nd4j.toFlattened('c', a).castTo(DataType.FLOAT).toFloatVector();
    float[] out = new float[src.length];
    for (int r = 0; r < n; r++) {
      for (int t = 0; t < bins; t++) {
        System.arraycopy(src, (r * bins + t) * width, out, (t * n + r) * width, width);
      }
    }
    return out;
  }

  /** Trials [from, from + n) of this batch. */
  TrialBatch slice(int from, int n) {
    if (from == 0 && n == trials) {
      return this;
    }
    if (from < 0 || n < 1 || from + n > trials) {
      throw new IllegalArgumentException("slice [" + from + ", " + (from + n) + ") of " + trials + " trials");
    }
    return new TrialBatch(rows(x, from, n), rows(y, from, n), n, bins);
  }

  private float[] rows(float[] a, int from, int n) {
    int width = a.length / (trials * bins);
    float[] out = new float[n * bins * width];
    for (int t = 0; t < bins; t++) {
      System.arraycopy(a, (t * trials + from) * width, out, t * n * width, n * width);
    }
    return out;
  }
}
