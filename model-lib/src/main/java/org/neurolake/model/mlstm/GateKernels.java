package org.neurolake.model.mlstm;

import static org.neurolake.model.mlstm.Lanes.bound;
import static org.neurolake.model.mlstm.Lanes.ld;
import static org.neurolake.model.mlstm.Lanes.sigmoid;
import static org.neurolake.model.mlstm.Lanes.st;
import static org.neurolake.model.mlstm.Lanes.tail;
import static org.neurolake.model.mlstm.Lanes.tanh;

import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The element-wise work of one mLSTM time step, fused into single passes over ND4J's buffers
 * (ND4J's own element-wise ops cost several nanoseconds per element and per op, which made them,
 * not the matrix products, the bottleneck). All matrices are row-major with one row per example;
 * the gate matrices have 4H columns: blocks i, f, o, u. Offsets are in floats. A row whose
 * {@code mask} entry is false is a padded position: its state passes through unchanged, forward
 * and backward, and it contributes no gradient.
 */
final class GateKernels {
  private GateKernels() {}

  /** {@code out[k] = a[k] * b[k]} for {@code len} consecutive floats: the multiplicative state m = (x Wmx) * (h Wmh). */
  static void multiply(int len, ByteBuffer a, int aAt, ByteBuffer b, int bAt, ByteBuffer out, int outAt) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += Lanes.L) {
      st(ld(a, aAt + j, null).mul(ld(b, bAt + j, null)), out, outAt + j, null);
    }
    if (j < len) {
      VectorMask<Float> m = tail(j, len);
      st(ld(a, aAt + j, m).mul(ld(b, bAt + j, m)), out, outAt + j, m);
    }
  }

  /**
   * Backward of m = xm * mh, in place: given dm (in {@code dxm}), writes dmh = dm * xm and then
   * dxm = dm * mh over {@code len} consecutive floats.
   */
  static void splitMultiplyGradient(int len, ByteBuffer dxm, ByteBuffer dmh, ByteBuffer xm, ByteBuffer mh, int at) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += Lanes.L) {
      splitBody(j, null, dxm, dmh, xm, mh, at);
    }
    if (j < len) {
      splitBody(j, tail(j, len), dxm, dmh, xm, mh, at);
    }
  }

  private static void splitBody(int j, VectorMask<Float> m, ByteBuffer dxm, ByteBuffer dmh, ByteBuffer xm,
      ByteBuffer mh, int at) {
    FloatVector dm = ld(dxm, at + j, m);
    st(dm.mul(ld(xm, at + j, m)), dmh, at + j, m);
    st(dm.mul(ld(mh, at + j, m)), dxm, at + j, m);
  }

  /** Where one time step's rows live: the step's blocks in the sequence buffers (offsets in floats). */
  record Step(int rows, int hidden, int xwAt, int gatesAt, int biasAt, int stateAt, int nextStateAt, int tanhAt,
      int maskAt) {}

  /**
   * Forward gates of one step: z = xw + zh + b with zh read from {@code gates}, then
   * i, f, o = sigmoid, u = tanh written back over {@code gates}, c' = f c + i u, tanh(c'), and
   * h' = o tanh(c'). Masked rows copy c and h forward.
   */
  static void forward(Step s, ByteBuffer xw, ByteBuffer gates, ByteBuffer bias, ByteBuffer c, ByteBuffer tanhC,
      ByteBuffer h, boolean[] mask) {
    int hid = s.hidden();
    int end = bound(hid);
    for (int r = 0; r < s.rows(); r++) {
      int cPrev = s.stateAt() + r * hid;
      int cNext = s.nextStateAt() + r * hid;
      if (!mask[s.maskAt() + r]) {
        copy(hid, c, cPrev, c, cNext);
        copy(hid, h, cPrev, h, cNext);
        continue;
      }
      int xwRow = s.xwAt() + r * 4 * hid;
      int gRow = s.gatesAt() + r * 4 * hid;
      int tRow = s.tanhAt() + r * hid;
      int j = 0;
      for (; j < end; j += Lanes.L) {
        forwardBody(j, null, hid, xw, xwRow, gates, gRow, bias, s.biasAt(), c, cPrev, cNext, tanhC, tRow, h);
      }
      if (j < hid) {
        forwardBody(j, tail(j, hid), hid, xw, xwRow, gates, gRow, bias, s.biasAt(), c, cPrev, cNext, tanhC, tRow, h);
      }
    }
  }

  private static void forwardBody(int j, VectorMask<Float> m, int hid, ByteBuffer xw, int xwRow, ByteBuffer gates,
      int gRow, ByteBuffer bias, int bAt, ByteBuffer c, int cPrev, int cNext, ByteBuffer tanhC, int tRow,
      ByteBuffer h) {
    FloatVector i = sigmoid(ld(xw, xwRow + j, m).add(ld(gates, gRow + j, m)).add(ld(bias, bAt + j, m)));
    FloatVector f = sigmoid(ld(xw, xwRow + hid + j, m).add(ld(gates, gRow + hid + j, m))
        .add(ld(bias, bAt + hid + j, m)));
    FloatVector o = sigmoid(ld(xw, xwRow + 2 * hid + j, m).add(ld(gates, gRow + 2 * hid + j, m))
        .add(ld(bias, bAt + 2 * hid + j, m)));
    FloatVector u = tanh(ld(xw, xwRow + 3 * hid + j, m).add(ld(gates, gRow + 3 * hid + j, m))
        .add(ld(bias, bAt + 3 * hid + j, m)));
    FloatVector cn = f.mul(ld(c, cPrev + j, m)).add(i.mul(u));
    FloatVector tc = tanh(cn);
    st(i, gates, gRow + j, m);
    st(f, gates, gRow + hid + j, m);
    st(o, gates, gRow + 2 * hid + j, m);
    st(u, gates, gRow + 3 * hid + j, m);
    st(cn, c, cNext + j, m);
    st(tc, tanhC, tRow + j, m);
    st(o.mul(tc), h, cNext + j, m);
  }

  /**
   * Backward gates of one step. Reads the step's activations (gates i, f, o, u; tanh c'; the
   * previous c), the loss gradient on h' ({@code dhOut} at {@code dhOutAt}) and the gradients
   * flowing back from the later steps ({@code dhCarry}, {@code dcCarry}, [rows, H] at offset 0).
   * Writes dz (pre-activation gradients, 4H per row, at the step's gates offset) to {@code dz},
   * adds them into {@code dBias}, replaces {@code dcCarry} with the gradient on the previous c, and
   * sets {@code dhCarry} to the part of the gradient on the previous h that bypasses the recurrent
   * matrices: all of it for masked rows, zero for the others (the caller then adds dmh Wmh^T).
   */
  static void backward(Step s, int dhOutAt, ByteBuffer gates, ByteBuffer tanhC, ByteBuffer c, ByteBuffer dhOut,
      ByteBuffer dhCarry, ByteBuffer dcCarry, ByteBuffer dz, float[] dBias, boolean[] mask) {
    int hid = s.hidden();
    int end = bound(hid);
    for (int r = 0; r < s.rows(); r++) {
      int carry = r * hid;
      int dhRow = dhOutAt + r * hid;
      int gRow = s.gatesAt() + r * 4 * hid;
      if (!mask[s.maskAt() + r]) {
        addInto(hid, dhOut, dhRow, dhCarry, carry);
        zero(4 * hid, dz, gRow);
        continue;
      }
      int cPrev = s.stateAt() + r * hid;
      int tRow = s.tanhAt() + r * hid;
      int j = 0;
      for (; j < end; j += Lanes.L) {
        backwardBody(j, null, hid, gates, gRow, tanhC, tRow, c, cPrev, dhOut, dhRow, dhCarry, dcCarry, carry, dz,
            dBias);
      }
      if (j < hid) {
        backwardBody(j, tail(j, hid), hid, gates, gRow, tanhC, tRow, c, cPrev, dhOut, dhRow, dhCarry, dcCarry, carry,
            dz, dBias);
      }
    }
  }

  private static void backwardBody(int j, VectorMask<Float> m, int hid, ByteBuffer gates, int gRow, ByteBuffer tanhC,
      int tRow, ByteBuffer c, int cPrev, ByteBuffer dhOut, int dhRow, ByteBuffer dhCarry, ByteBuffer dcCarry,
      int carry, ByteBuffer dz, float[] dBias) {
    FloatVector one = FloatVector.broadcast(Lanes.S, 1f);
    FloatVector dh = ld(dhOut, dhRow + j, m).add(ld(dhCarry, carry + j, m));
    FloatVector i = ld(gates, gRow + j, m);
    FloatVector f = ld(gates, gRow + hid + j, m);
    FloatVector o = ld(gates, gRow + 2 * hid + j, m);
    FloatVector u = ld(gates, gRow + 3 * hid + j, m);
    FloatVector tc = ld(tanhC, tRow + j, m);
    FloatVector dc = ld(dcCarry, carry + j, m).add(dh.mul(o).mul(one.sub(tc.mul(tc))));
    FloatVector dzi = dc.mul(u).mul(i).mul(one.sub(i));
    FloatVector dzf = dc.mul(ld(c, cPrev + j, m)).mul(f).mul(one.sub(f));
    FloatVector dzo = dh.mul(tc).mul(o).mul(one.sub(o));
    FloatVector dzu = dc.mul(i).mul(one.sub(u.mul(u)));
    st(dc.mul(f), dcCarry, carry + j, m);
    st(FloatVector.zero(Lanes.S), dhCarry, carry + j, m);
    st(dzi, dz, gRow + j, m);
    st(dzf, dz, gRow + hid + j, m);
    st(dzo, dz, gRow + 2 * hid + j, m);
    st(dzu, dz, gRow + 3 * hid + j, m);
    st(ld(dBias, j, m).add(dzi), dBias, j, m);
    st(ld(dBias, hid + j, m).add(dzf), dBias, hid + j, m);
    st(ld(dBias, 2 * hid + j, m).add(dzo), dBias, 2 * hid + j, m);
    st(ld(dBias, 3 * hid + j, m).add(dzu), dBias, 3 * hid + j, m);
  }

  static void copy(int len, ByteBuffer from, int fromAt, ByteBuffer to, int toAt) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += Lanes.L) {
      st(ld(from, fromAt + j, null), to, toAt + j, null);
    }
    if (j < len) {
      VectorMask<Float> m = tail(j, len);
      st(ld(from, fromAt + j, m), to, toAt + j, m);
    }
  }

  /** {@code to += from} over {@code len} floats. */
  static void addInto(int len, ByteBuffer from, int fromAt, ByteBuffer to, int toAt) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += Lanes.L) {
      st(ld(to, toAt + j, null).add(ld(from, fromAt + j, null)), to, toAt + j, null);
    }
    if (j < len) {
      VectorMask<Float> m = tail(j, len);
      st(ld(to, toAt + j, m).add(ld(from, fromAt + j, m)), to, toAt + j, m);
    }
  }

  static void zero(int len, ByteBuffer to, int toAt) {
    FloatVector z = FloatVector.zero(Lanes.S);
    int end = bound(len);
    int j = 0;
    for (; j < end; j += Lanes.L) {
      st(z, to, toAt + j, null);
    }
    if (j < len) {
      st(z, to, toAt + j, tail(j, len));
    }
  }
}
