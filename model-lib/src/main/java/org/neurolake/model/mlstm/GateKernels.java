package org.neurolake.model.mlstm;

import static org.neurolake.model.mlstm.Lanes.L;
import static org.neurolake.model.mlstm.Lanes.ORDER;
import static org.neurolake.model.mlstm.Lanes.S;
import static org.neurolake.model.mlstm.Lanes.bound;
import static org.neurolake.model.mlstm.Lanes.get;
import static org.neurolake.model.mlstm.Lanes.put;
import static org.neurolake.model.mlstm.Lanes.sigmoid;
import static org.neurolake.model.mlstm.Lanes.tanh;

import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;

/**
 * The element-wise work of one mLSTM time step, fused into single passes over ND4J's buffers
 * (ND4J's own element-wise ops cost several nanoseconds per element and per op, which made them,
 * not the matrix products, the bottleneck). All matrices are row-major with one row per example;
 * the gate matrices have 4H columns: blocks i, f, o, u. Offsets are in floats (the vector API
 * addresses bytes: hence the {@code 4 *}). A row whose {@code mask} entry is false is a padded
 * position: its state passes through unchanged, forward and backward, and it contributes no gradient.
 */
final class GateKernels {
  private GateKernels() {}

  /** {@code out[k] = a[k] * b[k]} for {@code len} consecutive floats: the multiplicative state m = (x Wmx) * (h Wmh). */
  static void multiply(int len, ByteBuffer a, int aAt, ByteBuffer b, int bAt, ByteBuffer out, int outAt) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += L) {
      FloatVector.fromByteBuffer(S, a, 4 * (aAt + j), ORDER).mul(FloatVector.fromByteBuffer(S, b, 4 * (bAt + j), ORDER))
          .intoByteBuffer(out, 4 * (outAt + j), ORDER);
    }
    for (; j < len; j++) {
      put(out, outAt + j, get(a, aAt + j) * get(b, bAt + j));
    }
  }

  /**
   * Backward of m = xm * mh, in place: given dm (in {@code dxm}), writes dmh = dm * xm and then
   * dxm = dm * mh over {@code len} consecutive floats at {@code at}.
   */
  static void splitMultiplyGradient(int len, ByteBuffer dxm, ByteBuffer dmh, ByteBuffer xm, ByteBuffer mh, int at) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += L) {
      int o = 4 * (at + j);
      FloatVector dm = FloatVector.fromByteBuffer(S, dxm, o, ORDER);
      dm.mul(FloatVector.fromByteBuffer(S, xm, o, ORDER)).intoByteBuffer(dmh, o, ORDER);
      dm.mul(FloatVector.fromByteBuffer(S, mh, o, ORDER)).intoByteBuffer(dxm, o, ORDER);
    }
    for (; j < len; j++) {
      float dm = get(dxm, at + j);
      put(dmh, at + j, dm * get(xm, at + j));
      put(dxm, at + j, dm * get(mh, at + j));
    }
  }

  /** Where one time step's rows live: the step's blocks in the sequence buffers (offsets in floats). */
  record Step(int rows, int hidden, int xwAt, int gatesAt, int biasAt, int stateAt, int nextStateAt, int tanhAt,
      int maskAt) {}

  /**
   * Forward gates of one step: z = xw + zh + b with zh read from {@code gates}, then
   * i, f, o = sigmoid, u = tanh written back over {@code gates}, c' = f c + i u, tanh(c'), and
   * h' = o tanh(c'). Masked rows copy c and h forward. Each row is done in five short loops, one
   * transcendental each: a single loop with all five exceeds what the JIT will inline, and vector
   * values passed to a method it does not inline are boxed (several times slower).
   */
  static void forward(Step s, ByteBuffer xw, ByteBuffer gates, ByteBuffer bias, ByteBuffer c, ByteBuffer tanhC,
      ByteBuffer h, boolean[] mask) {
    int hid = s.hidden();
    int b = s.biasAt();
    for (int r = 0; r < s.rows(); r++) {
      int cPrev = s.stateAt() + r * hid;
      int cNext = s.nextStateAt() + r * hid;
      if (!mask[s.maskAt() + r]) {
        copy(hid, c, cPrev, c, cNext);
        copy(hid, h, cPrev, h, cNext);
        continue;
      }
      int x = s.xwAt() + r * 4 * hid;
      int g = s.gatesAt() + r * 4 * hid;
      sigmoidGate(hid, xw, x, gates, g, bias, b);
      sigmoidGate(hid, xw, x + hid, gates, g + hid, bias, b + hid);
      sigmoidGate(hid, xw, x + 2 * hid, gates, g + 2 * hid, bias, b + 2 * hid);
      tanhGate(hid, xw, x + 3 * hid, gates, g + 3 * hid, bias, b + 3 * hid);
      cellUpdate(hid, gates, g, c, cPrev, cNext, tanhC, s.tanhAt() + r * hid, h);
    }
  }

  /** gates[k] = sigmoid(xw[k] + gates[k] + bias[k]) over one gate block of a row. */
  private static void sigmoidGate(int len, ByteBuffer xw, int x, ByteBuffer gates, int g, ByteBuffer bias, int b) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += L) {
      FloatVector z = FloatVector.fromByteBuffer(S, xw, 4 * (x + j), ORDER)
          .add(FloatVector.fromByteBuffer(S, gates, 4 * (g + j), ORDER))
          .add(FloatVector.fromByteBuffer(S, bias, 4 * (b + j), ORDER));
      sigmoid(z).intoByteBuffer(gates, 4 * (g + j), ORDER);
    }
    for (; j < len; j++) {
      put(gates, g + j, sigmoid(get(xw, x + j) + get(gates, g + j) + get(bias, b + j)));
    }
  }

  /** gates[k] = tanh(xw[k] + gates[k] + bias[k]) over one gate block of a row. */
  private static void tanhGate(int len, ByteBuffer xw, int x, ByteBuffer gates, int g, ByteBuffer bias, int b) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += L) {
      FloatVector z = FloatVector.fromByteBuffer(S, xw, 4 * (x + j), ORDER)
          .add(FloatVector.fromByteBuffer(S, gates, 4 * (g + j), ORDER))
          .add(FloatVector.fromByteBuffer(S, bias, 4 * (b + j), ORDER));
      tanh(z).intoByteBuffer(gates, 4 * (g + j), ORDER);
    }
    for (; j < len; j++) {
      put(gates, g + j, tanh(get(xw, x + j) + get(gates, g + j) + get(bias, b + j)));
    }
  }

  /** c' = f c + i u, tanh(c'), h' = o tanh(c') for one row, from its activated gates at {@code g}. */
  private static void cellUpdate(int hid, ByteBuffer gates, int g, ByteBuffer c, int cPrev, int cNext,
      ByteBuffer tanhC, int tc, ByteBuffer h) {
    int end = bound(hid);
    int j = 0;
    for (; j < end; j += L) {
      FloatVector i = FloatVector.fromByteBuffer(S, gates, 4 * (g + j), ORDER);
      FloatVector f = FloatVector.fromByteBuffer(S, gates, 4 * (g + hid + j), ORDER);
      FloatVector u = FloatVector.fromByteBuffer(S, gates, 4 * (g + 3 * hid + j), ORDER);
      FloatVector cn = f.mul(FloatVector.fromByteBuffer(S, c, 4 * (cPrev + j), ORDER)).add(i.mul(u));
      FloatVector t = tanh(cn);
      cn.intoByteBuffer(c, 4 * (cNext + j), ORDER);
      t.intoByteBuffer(tanhC, 4 * (tc + j), ORDER);
      FloatVector.fromByteBuffer(S, gates, 4 * (g + 2 * hid + j), ORDER).mul(t).intoByteBuffer(h, 4 * (cNext + j), ORDER);
    }
    for (; j < hid; j++) {
      float cn = get(gates, g + hid + j) * get(c, cPrev + j) + get(gates, g + j) * get(gates, g + 3 * hid + j);
      float t = tanh(cn);
      put(c, cNext + j, cn);
      put(tanhC, tc + j, t);
      put(h, cNext + j, get(gates, g + 2 * hid + j) * t);
    }
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
    FloatVector one = FloatVector.broadcast(S, 1f);
    FloatVector zero = FloatVector.zero(S);
    for (int r = 0; r < s.rows(); r++) {
      int carry = r * hid;
      int dh0 = dhOutAt + r * hid;
      int g = s.gatesAt() + r * 4 * hid;
      if (!mask[s.maskAt() + r]) {
        addInto(hid, dhOut, dh0, dhCarry, carry);
        zero(4 * hid, dz, g);
        continue;
      }
      int cPrev = s.stateAt() + r * hid;
      int tc0 = s.tanhAt() + r * hid;
      int j = 0;
      for (; j < end; j += L) {
        FloatVector dh = FloatVector.fromByteBuffer(S, dhOut, 4 * (dh0 + j), ORDER)
            .add(FloatVector.fromByteBuffer(S, dhCarry, 4 * (carry + j), ORDER));
        FloatVector i = FloatVector.fromByteBuffer(S, gates, 4 * (g + j), ORDER);
        FloatVector f = FloatVector.fromByteBuffer(S, gates, 4 * (g + hid + j), ORDER);
        FloatVector o = FloatVector.fromByteBuffer(S, gates, 4 * (g + 2 * hid + j), ORDER);
        FloatVector u = FloatVector.fromByteBuffer(S, gates, 4 * (g + 3 * hid + j), ORDER);
        FloatVector t = FloatVector.fromByteBuffer(S, tanhC, 4 * (tc0 + j), ORDER);
        FloatVector dc = FloatVector.fromByteBuffer(S, dcCarry, 4 * (carry + j), ORDER)
            .add(dh.mul(o).mul(one.sub(t.mul(t))));
        FloatVector dzi = dc.mul(u).mul(i).mul(one.sub(i));
        FloatVector dzf = dc.mul(FloatVector.fromByteBuffer(S, c, 4 * (cPrev + j), ORDER)).mul(f).mul(one.sub(f));
        FloatVector dzo = dh.mul(t).mul(o).mul(one.sub(o));
        FloatVector dzu = dc.mul(i).mul(one.sub(u.mul(u)));
        dc.mul(f).intoByteBuffer(dcCarry, 4 * (carry + j), ORDER);
        zero.intoByteBuffer(dhCarry, 4 * (carry + j), ORDER);
        dzi.intoByteBuffer(dz, 4 * (g + j), ORDER);
        dzf.intoByteBuffer(dz, 4 * (g + hid + j), ORDER);
        dzo.intoByteBuffer(dz, 4 * (g + 2 * hid + j), ORDER);
        dzu.intoByteBuffer(dz, 4 * (g + 3 * hid + j), ORDER);
        FloatVector.fromArray(S, dBias, j).add(dzi).intoArray(dBias, j);
        FloatVector.fromArray(S, dBias, hid + j).add(dzf).intoArray(dBias, hid + j);
        FloatVector.fromArray(S, dBias, 2 * hid + j).add(dzo).intoArray(dBias, 2 * hid + j);
        FloatVector.fromArray(S, dBias, 3 * hid + j).add(dzu).intoArray(dBias, 3 * hid + j);
      }
      for (; j < hid; j++) {
        float dh = get(dhOut, dh0 + j) + get(dhCarry, carry + j);
        float i = get(gates, g + j);
        float f = get(gates, g + hid + j);
        float o = get(gates, g + 2 * hid + j);
        float u = get(gates, g + 3 * hid + j);
        float t = get(tanhC, tc0 + j);
        float dc = get(dcCarry, carry + j) + dh * o * (1 - t * t);
        float dzi = dc * u * i * (1 - i);
        float dzf = dc * get(c, cPrev + j) * f * (1 - f);
        float dzo = dh * t * o * (1 - o);
        float dzu = dc * i * (1 - u * u);
        put(dcCarry, carry + j, dc * f);
        put(dhCarry, carry + j, 0f);
        put(dz, g + j, dzi);
        put(dz, g + hid + j, dzf);
        put(dz, g + 2 * hid + j, dzo);
        put(dz, g + 3 * hid + j, dzu);
        dBias[j] += dzi;
        dBias[hid + j] += dzf;
        dBias[2 * hid + j] += dzo;
        dBias[3 * hid + j] += dzu;
      }
    }
  }

  static void copy(int len, ByteBuffer from, int fromAt, ByteBuffer to, int toAt) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += L) {
      FloatVector.fromByteBuffer(S, from, 4 * (fromAt + j), ORDER).intoByteBuffer(to, 4 * (toAt + j), ORDER);
    }
    for (; j < len; j++) {
      put(to, toAt + j, get(from, fromAt + j));
    }
  }

  /** {@code to += from} over {@code len} floats. */
  static void addInto(int len, ByteBuffer from, int fromAt, ByteBuffer to, int toAt) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += L) {
      FloatVector.fromByteBuffer(S, to, 4 * (toAt + j), ORDER)
          .add(FloatVector.fromByteBuffer(S, from, 4 * (fromAt + j), ORDER)).intoByteBuffer(to, 4 * (toAt + j), ORDER);
    }
    for (; j < len; j++) {
      put(to, toAt + j, get(to, toAt + j) + get(from, fromAt + j));
    }
  }

  static void zero(int len, ByteBuffer to, int toAt) {
    FloatVector z = FloatVector.zero(S);
    int end = bound(len);
    int j = 0;
    for (; j < end; j += L) {
      z.intoByteBuffer(to, 4 * (toAt + j), ORDER);
    }
    for (; j < len; j++) {
      put(to, toAt + j, 0f);
    }
  }
}
