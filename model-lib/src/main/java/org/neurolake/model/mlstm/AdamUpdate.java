package org.neurolake.model.mlstm;

import static org.neurolake.model.mlstm.Lanes.L;
import static org.neurolake.model.mlstm.Lanes.ORDER;
import static org.neurolake.model.mlstm.Lanes.S;
import static org.neurolake.model.mlstm.Lanes.bound;
import static org.neurolake.model.mlstm.Lanes.get;
import static org.neurolake.model.mlstm.Lanes.put;

import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;
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
      FloatVector acc = FloatVector.zero(S);
      int j = 0;
      for (; j < end; j += L) {
        FloatVector x = FloatVector.fromByteBuffer(S, b, 4 * (from + j), ORDER);
        acc = x.fma(x, acc);
      }
      double block = Lanes.sumLanes(acc);
      for (; j < n; j++) {
        float x = get(b, from + j);
        block += x * x;
      }
      total += block;
    }
    return total;
  }

  /** The optimizer settings of one step. */
  record Settings(float gradScale, float beta1, float beta2, float alphaT, float epsilon) {
    static Settings of(double learningRate, double beta1, double beta2, double epsilon, long stepNumber,
        double gradScale) {
      double alphaT = learningRate * Math.sqrt(1 - StrictMath.pow(beta2, stepNumber))
          / (1 - StrictMath.pow(beta1, stepNumber));
      return new Settings((float) gradScale, (float) beta1, (float) beta2, (float) alphaT, (float) epsilon);
    }
  }

  static void apply(int len, ByteBuffer params, ByteBuffer grads, ByteBuffer state, Settings s) {
    float b1 = s.beta1();
    float b2 = s.beta2();
    float c1 = 1f - b1;
    float c2 = 1f - b2;
    float scale = s.gradScale();
    float alpha = s.alphaT();
    float eps = s.epsilon();
    int end = bound(len);
    int j = 0;
    for (; j < end; j += L) {
      FloatVector g = FloatVector.fromByteBuffer(S, grads, 4 * j, ORDER).mul(scale);
      FloatVector m = FloatVector.fromByteBuffer(S, state, 4 * j, ORDER).mul(b1).add(g.mul(c1));
      FloatVector v = FloatVector.fromByteBuffer(S, state, 4 * (len + j), ORDER).mul(b2).add(g.mul(g).mul(c2));
      m.intoByteBuffer(state, 4 * j, ORDER);
      v.intoByteBuffer(state, 4 * (len + j), ORDER);
      FloatVector step = m.mul(alpha).div(v.lanewise(VectorOperators.SQRT).add(eps));
      FloatVector.fromByteBuffer(S, params, 4 * j, ORDER).sub(step).intoByteBuffer(params, 4 * j, ORDER);
    }
    for (; j < len; j++) {
      float g = get(grads, j) * scale;
      float m = get(state, j) * b1 + g * c1;
      float v = get(state, len + j) * b2 + g * g * c2;
      put(state, j, m);
      put(state, len + j, v);
      put(params, j, get(params, j) - m * alpha / ((float) Math.sqrt(v) + eps));
    }
  }
}
