package org.neurolake.model.mlstm;

import static org.neurolake.model.mlstm.Lanes.bound;
import static org.neurolake.model.mlstm.Lanes.ld;
import static org.neurolake.model.mlstm.Lanes.st;
import static org.neurolake.model.mlstm.Lanes.tail;

import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Adam over the flat parameter vector, with the gradient's global-norm clipping folded in as a
 * scale. State layout: first moments m at [0, n), second moments v at [n, 2n). The update is
 * DL4J's: alpha_t = lr sqrt(1 - beta2^t) / (1 - beta1^t), p -= alpha_t m / (sqrt(v) + eps).
 */
final class AdamUpdate {
  private static final int BLOCK = 1 << 14;

  private AdamUpdate() {}

  /** Sum of squares of {@code len} floats, in blocks added up in double so that millions of terms stay accurate. */
  static double sumOfSquares(ByteBuffer b, int len) {
    double total = 0;
    for (int from = 0; from < len; from += BLOCK) {
      int n = Math.min(BLOCK, len - from);
      int end = bound(n);
      FloatVector acc = FloatVector.zero(Lanes.S);
      int j = 0;
      for (; j < end; j += Lanes.L) {
        FloatVector x = ld(b, from + j, null);
        acc = x.fma(x, acc);
      }
      if (j < n) {
        FloatVector x = ld(b, from + j, tail(j, n));
        acc = x.fma(x, acc);
      }
      total += acc.reduceLanes(VectorOperators.ADD);
    }
    return total;
  }

  /** The optimizer settings of one step. */
  record Settings(float gradScale, float beta1, float beta2, float alphaT, float epsilon) {
    static Settings of(double learningRate, double beta1, double beta2, double epsilon, long stepNumber,
        double gradScale) {
      double alphaT = learningRate * Math.sqrt(1 - Math.pow(beta2, stepNumber)) / (1 - Math.pow(beta1, stepNumber));
      return new Settings((float) gradScale, (float) beta1, (float) beta2, (float) alphaT, (float) epsilon);
    }
  }

  static void apply(int len, ByteBuffer params, ByteBuffer grads, ByteBuffer state, Settings s) {
    int end = bound(len);
    int j = 0;
    for (; j < end; j += Lanes.L) {
      body(j, null, len, params, grads, state, s);
    }
    if (j < len) {
      body(j, tail(j, len), len, params, grads, state, s);
    }
  }

  private static void body(int j, VectorMask<Float> mask, int len, ByteBuffer params, ByteBuffer grads,
      ByteBuffer state, Settings s) {
    FloatVector g = ld(grads, j, mask).mul(s.gradScale());
    FloatVector m = ld(state, j, mask).mul(s.beta1()).add(g.mul(1f - s.beta1()));
    FloatVector v = ld(state, len + j, mask).mul(s.beta2()).add(g.mul(g).mul(1f - s.beta2()));
    st(m, state, j, mask);
    st(v, state, len + j, mask);
    FloatVector step = m.mul(s.alphaT()).div(v.lanewise(VectorOperators.SQRT).add(s.epsilon()));
    st(ld(params, j, mask).sub(step), params, j, mask);
  }
}
