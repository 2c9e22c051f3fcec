package org.neurolake.model.optim;

import java.nio.FloatBuffer;

/**
 * Adam's update as a plain loop over float buffers (heap arrays or direct memory), one element at
 * a time. Element i's arithmetic, in float, evaluated left to right:
 * {@code g = grad * gradScale; m = beta1 * m + (1 - beta1) * g; v = beta2 * v + (1 - beta2) * g * g;
 * p = p - stepSize * m / ((float) sqrt(v) * denominatorScale + epsilon)}. (1 - beta2) g is rounded
 * before the second multiplication by g; {@link VectorAdamKernel} rounds g g first, so the two
 * kernels' second moments can differ in the last bit.
 */
final class ScalarAdamKernel {
  private ScalarAdamKernel() {}

  /** The sum of squares of the first {@code n} values, each square exact in double, added in order. */
  static double sumOfSquares(FloatBuffer x, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double g = x.get(i);
      sum += g * g;
    }
    return sum;
  }

  static void update(int n, FloatBuffer params, FloatBuffer grads, FloatBuffer m, FloatBuffer v, StepCoefficients c) {
    float scale = c.gradScale();
    float b1 = c.beta1();
    float b2 = c.beta2();
    float c1 = 1 - b1;
    float c2 = 1 - b2;
    float stepSize = c.stepSize();
    float denominatorScale = c.denominatorScale();
    float eps = c.epsilon();
    for (int i = 0; i < n; i++) {
      float g = grads.get(i) * scale;
      float mi = b1 * m.get(i) + c1 * g;
      float vi = b2 * v.get(i) + c2 * g * g;
      m.put(i, mi);
      v.put(i, vi);
      params.put(i, params.get(i) - stepSize * mi / ((float) Math.sqrt(vi) * denominatorScale + eps));
    }
  }
}
