package org.neurolake.model.mlstm;

import static org.neurolake.model.mlstm.Lanes.bound;
import static org.neurolake.model.mlstm.Lanes.ld;
import static org.neurolake.model.mlstm.Lanes.st;
import static org.neurolake.model.mlstm.Lanes.tail;

import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * Weight normalization per output column (Salimans and Kingma 2016), as in the released encoder:
 * W[:, j] = g[j] V[:, j] / ||V[:, j]||. V is row-major [rows, cols] and streamed row by row, so
 * the column sums are accumulated in a vector of length cols. Offsets are in floats.
 */
final class WeightNorm {
  private WeightNorm() {}

  /** Writes W (row-major [rows, cols], offset 0 of {@code w}) and each column's ||V|| into {@code norms}. */
  static void forward(int rows, int cols, ByteBuffer params, int vAt, int gAt, ByteBuffer w, float[] norms) {
    float[] sumSq = columnSums(rows, cols, params, vAt, params, vAt);
    float[] scale = new float[cols];
    for (int j = 0; j < cols; j++) {
      norms[j] = (float) Math.sqrt(Math.max(sumSq[j], Float.MIN_NORMAL));
      scale[j] = params.getFloat((gAt + j) * 4) / norms[j];
    }
    int end = bound(cols);
    for (int r = 0; r < rows; r++) {
      int row = r * cols;
      int j = 0;
      for (; j < end; j += Lanes.L) {
        st(ld(params, vAt + row + j, null).mul(ld(scale, j, null)), w, row + j, null);
      }
      if (j < cols) {
        VectorMask<Float> m = tail(j, cols);
        st(ld(params, vAt + row + j, m).mul(ld(scale, j, m)), w, row + j, m);
      }
    }
  }

  /**
   * From dL/dW ({@code dw}, offset 0) writes dL/dV and dL/dg into {@code grads} at the same offsets
   * as V and g in the parameters: dg = dW . V / ||V||, dV = (g / ||V||) (dW - (dW . V / ||V||^2) V).
   */
  static void backward(int rows, int cols, ByteBuffer dw, ByteBuffer params, int vAt, int gAt, float[] norms,
      ByteBuffer grads) {
    float[] dot = columnSums(rows, cols, dw, 0, params, vAt);
    float[] scale = new float[cols];
    float[] coef = new float[cols];
    for (int j = 0; j < cols; j++) {
      float n = norms[j];
      grads.putFloat((gAt + j) * 4, dot[j] / n);
      scale[j] = params.getFloat((gAt + j) * 4) / n;
      coef[j] = dot[j] / (n * n);
    }
    int end = bound(cols);
    for (int r = 0; r < rows; r++) {
      int row = r * cols;
      int j = 0;
      for (; j < end; j += Lanes.L) {
        backwardBody(j, null, row, dw, params, vAt, grads, scale, coef);
      }
      if (j < cols) {
        backwardBody(j, tail(j, cols), row, dw, params, vAt, grads, scale, coef);
      }
    }
  }

  private static void backwardBody(int j, VectorMask<Float> m, int row, ByteBuffer dw, ByteBuffer params, int vAt,
      ByteBuffer grads, float[] scale, float[] coef) {
    FloatVector v = ld(params, vAt + row + j, m);
    FloatVector d = ld(dw, row + j, m).sub(v.mul(ld(coef, j, m)));
    st(d.mul(ld(scale, j, m)), grads, vAt + row + j, m);
  }

  /** Per column j: sum over rows of a[r, j] * b[r, j]. */
  private static float[] columnSums(int rows, int cols, ByteBuffer a, int aAt, ByteBuffer b, int bAt) {
    float[] acc = new float[cols];
    int end = bound(cols);
    for (int r = 0; r < rows; r++) {
      int row = r * cols;
      int j = 0;
      for (; j < end; j += Lanes.L) {
        FloatVector p = ld(a, aAt + row + j, null).mul(ld(b, bAt + row + j, null));
        st(ld(acc, j, null).add(p), acc, j, null);
      }
      if (j < cols) {
        VectorMask<Float> m = tail(j, cols);
        FloatVector p = ld(a, aAt + row + j, m).mul(ld(b, bAt + row + j, m));
        st(ld(acc, j, m).add(p), acc, j, m);
      }
    }
    return acc;
  }
}
