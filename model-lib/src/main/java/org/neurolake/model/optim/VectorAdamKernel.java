package org.neurolake.model.optim;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Adam's update fused into one pass of the JDK's vector API ({@code --add-modules
 * jdk.incubator.vector}) over native-order byte buffers, whole vectors of the preferred species
 * first, the last {@code n % L} elements in scalar code with the same equations. Element i's
 * arithmetic, in float: {@code g = grad * gradScale; m = m * beta1 + g * (1 - beta1);
 * v = v * beta2 + (g * g) * (1 - beta2); p = p - (m * stepSize) / (sqrt(v) * denominatorScale + epsilon)},
 * with no fused multiply-adds. It differs from {@link ScalarAdamKernel} only in rounding g g
 * (instead of (1 - beta2) g) first, and in how {@link #sumOfSquares} adds up.
 *
 * <p>Loaded only when {@link Adam#stepVectorized} is first called, so code that uses the scalar
 * kernel alone runs without the vector module.
 */
final class VectorAdamKernel {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();
  private static final int BLOCK = 1 << 14;

  private VectorAdamKernel() {}

  /**
   * The sum of squares of the first {@code n} floats: per block of 2^14 values, float lane sums by
   * fused multiply-add (added up in lane order) plus the tail's float squares, and the blocks added
   * in double, so that millions of terms stay accurate (about 1e-7 relative).
   */
  static double sumOfSquares(ByteBuffer b, int n) {
    double total = 0;
    for (int from = 0; from < n; from += BLOCK) {
      int len = Math.min(BLOCK, n - from);
      int end = S.loopBound(len);
      FloatVector acc = FloatVector.zero(S);
      int j = 0;
      for (; j < end; j += L) {
        FloatVector x = FloatVector.fromByteBuffer(S, b, 4 * (from + j), ORDER);
        acc = x.fma(x, acc);
      }
      double block = sumLanes(acc);
      for (; j < len; j++) {
        float x = b.getFloat(4 * (from + j));
        block += x * x;
      }
      total += block;
    }
    return total;
  }

  /** A vector's lanes added in lane order (the vector API leaves its own reduction order unspecified). */
  private static float sumLanes(FloatVector v) {
    float[] lanes = v.toArray();
    float sum = 0;
    for (float x : lanes) {
      sum += x;
    }
    return sum;
  }

  static void update(int n, ByteBuffer params, ByteBuffer grads, ByteBuffer m, ByteBuffer v, StepCoefficients c) {
    float b1 = c.beta1();
    float b2 = c.beta2();
    float c1 = 1f - b1;
    float c2 = 1f - b2;
    float scale = c.gradScale();
    float stepSize = c.stepSize();
    float denominatorScale = c.denominatorScale();
    float eps = c.epsilon();
    int end = S.loopBound(n);
    int j = 0;
    for (; j < end; j += L) {
      int at = 4 * j;
      FloatVector g = FloatVector.fromByteBuffer(S, grads, at, ORDER).mul(scale);
      FloatVector mj = FloatVector.fromByteBuffer(S, m, at, ORDER).mul(b1).add(g.mul(c1));
      FloatVector vj = FloatVector.fromByteBuffer(S, v, at, ORDER).mul(b2).add(g.mul(g).mul(c2));
      mj.intoByteBuffer(m, at, ORDER);
      vj.intoByteBuffer(v, at, ORDER);
      FloatVector step = mj.mul(stepSize).div(vj.lanewise(VectorOperators.SQRT).mul(denominatorScale).add(eps));
      FloatVector.fromByteBuffer(S, params, at, ORDER).sub(step).intoByteBuffer(params, at, ORDER);
    }
    for (; j < n; j++) {
      int at = 4 * j;
      float g = grads.getFloat(at) * scale;
      float mj = m.getFloat(at) * b1 + g * c1;
      float vj = v.getFloat(at) * b2 + g * g * c2;
      m.putFloat(at, mj);
      v.putFloat(at, vj);
      params.putFloat(at, params.getFloat(at) - mj * stepSize / ((float) Math.sqrt(vj) * denominatorScale + eps));
    }
  }
}
