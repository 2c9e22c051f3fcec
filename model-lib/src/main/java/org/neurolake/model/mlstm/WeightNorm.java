package org.neurolake.model.mlstm;

import static org.neurolake.model.mlstm.Lanes.L;
import static org.neurolake.model.mlstm.Lanes.ORDER;
import static org.neurolake.model.mlstm.Lanes.S;
import static org.neurolake.model.mlstm.Lanes.bound;
import static org.neurolake.model.mlstm.Lanes.get;
import static org.neurolake.model.mlstm.Lanes.put;

import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;

/**
 * Weight normalization per output column (Salimans and Kingma 2016), as in the released encoder:
 * W[:, j] = g[j] V[:, j] / ||V[:, j]||. V is row-major [rows, cols] and streamed row by row, so
 * the column sums are accumulated in a vector of length cols. Offsets are in floats.
 */
final class WeightNorm {
  private WeightNorm() {}

  /** Writes W (row-major [rows, cols], offset 0 of {@code w}) and each column's ||V|| into {@code norms}. */
  static void forward(int rows, int cols, ByteBuffer params, int vAt, int gAt, ByteBuffer w, float[] norms) {
    float[] sumSq = columnDots(rows, cols, params, vAt, params, vAt);
    float[] scale = new float[cols];
    for (int j = 0; j < cols; j++) {
      norms[j] = (float) Math.sqrt(Math.max(sumSq[j], Float.MIN_NORMAL));
      scale[j] = get(params, gAt + j) / norms[j];
    }
    int end = bound(cols);
    for (int r = 0; r < rows; r++) {
      int row = r * cols;
      int j = 0;
      for (; j < end; j += L) {
        FloatVector.fromByteBuffer(S, params, 4 * (vAt + row + j), ORDER).mul(FloatVector.fromArray(S, scale, j))
            .intoByteBuffer(w, 4 * (row + j), ORDER);
      }
      for (; j < cols; j++) {
        put(w, row + j, get(params, vAt + row + j) * scale[j]);
      }
    }
  }

  /**
   * From dL/dW ({@code dw}, offset 0) writes dL/dV and dL/dg into {@code grads} at the same offsets
   * as V and g in the parameters: dg = dW . V / ||V||, dV = (g / ||V||) (dW - (dW . V / ||V||^2) V).
   */
  static void backward(int rows, int cols, ByteBuffer dw, ByteBuffer params, int vAt, int gAt, float[] norms,
      ByteBuffer grads) {
    float[] dot = columnDots(rows, cols, dw, 0, params, vAt);
    float[] scale = new float[cols];
    float[] coef = new float[cols];
    for (int j = 0; j < cols; j++) {
      float n = norms[j];
      put(grads, gAt + j, dot[j] / n);
      scale[j] = get(params, gAt + j) / n;
      coef[j] = dot[j] / (n * n);
    }
    int end = bound(cols);
    for (int r = 0; r < rows; r++) {
      int row = r * cols;
      int j = 0;
      for (; j < end; j += L) {
        FloatVector v = FloatVector.fromByteBuffer(S, params, 4 * (vAt + row + j), ORDER);
        FloatVector.fromByteBuffer(S, dw, 4 * (row + j), ORDER).sub(v.mul(FloatVector.fromArray(S, coef, j)))
            .mul(FloatVector.fromArray(S, scale, j)).intoByteBuffer(grads, 4 * (vAt + row + j), ORDER);
      }
      for (; j < cols; j++) {
        float v = get(params, vAt + row + j);
        put(grads, vAt + row + j, (get(dw, row + j) - v * coef[j]) * scale[j]);
      }
    }
  }

  /** Per column j: sum over rows of a[r, j] * b[r, j]. */
  private static float[] columnDots(int rows, int cols, ByteBuffer a, int aAt, ByteBuffer b, int bAt) {
    float[] acc = new float[cols];
    int end = bound(cols);
    for (int r = 0; r < rows; r++) {
      int row = r * cols;
      int j = 0;
      for (; j < end; j += L) {
        FloatVector.fromByteBuffer(S, a, 4 * (aAt + row + j), ORDER)
            .fma(FloatVector.fromByteBuffer(S, b, 4 * (bAt + row + j), ORDER), FloatVector.fromArray(S, acc, j))
            .intoArray(acc, j);
      }
      for (; j < cols; j++) {
        acc[j] += get(a, aAt + row + j) * get(b, bAt + row + j);
      }
    }
    return acc;
  }
}
