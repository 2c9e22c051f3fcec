package org.neurolake.model.mlstm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SIMD access to ND4J's off-heap float buffers through the JDK's vector API
 * ({@code --add-modules jdk.incubator.vector}). Kernels call the vector API directly in their
 * loops (its methods are always inlined; a vector passed through a helper that the JIT does not
 * inline is boxed, which costs tens of nanoseconds per element), run their main loop over whole
 * vectors and finish a row's last {@code n % L} elements with the same equations in scalar code.
 *
 * <p>exp (and from it sigmoid and tanh) is computed here from additions, multiplications and
 * fused multiply-adds only (Cephes' expf: range reduction by ln 2, a degree-7 polynomial, scaling
 * by 2^n through the exponent bits), identically in the vector and the scalar form. The vector
 * API's own EXP and TANH give results that differ in the last bit between interpreted and
 * JIT-compiled code (a pure-Java fallback versus a native math library), which would make
 * training depend on the JIT's timing; these functions are exact IEEE operations in every mode,
 * and faster. Accuracy: about 2e-7 relative for exp, 1e-7 absolute for sigmoid and tanh.
 */
final class Lanes {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();
  static final ByteOrder ORDER = ByteOrder.nativeOrder();

  private Lanes() {}

  /** The native memory of a freshly allocated (non-view, c-order) array, as a byte buffer in native order. */
  static ByteBuffer bytes(INDArray a) {
    if (a.isView() || a.offset() != 0 || a.ordering() != 'c') {
      throw new IllegalArgumentException("kernels address whole c-order arrays, got a view " + a.shapeInfoToString());
    }
    ByteBuffer b = a.data().pointer().asByteBuffer().order(ORDER);
    if (b.capacity() != a.length() * 4L) {
      throw new IllegalStateException("buffer of " + b.capacity() + " bytes for " + a.length() + " floats");
    }
    return b;
  }

  /** The largest multiple of the vector length not above {@code n}: where a kernel's vector loop ends. */
  static int bound(int n) {
    return S.loopBound(n);
  }

  /**
   * The sum of a vector's lanes, in lane order. (The vector API leaves the order of its own ADD
   * reduction unspecified, and its compiled and interpreted forms need not agree.)
   */
  static float sumLanes(FloatVector v) {
    float[] lanes = v.toArray();
    float sum = 0;
    for (float x : lanes) {
      sum += x;
    }
    return sum;
  }

  static float get(ByteBuffer b, int at) {
    return b.getFloat(at * 4);
  }

  static void put(ByteBuffer b, int at, float v) {
    b.putFloat(at * 4, v);
  }

  private static final float LOG2E = 1.44269504088896341f;
  private static final float MAGIC = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
  private static final int MAGIC_BITS = Float.floatToRawIntBits(MAGIC);
  private static final float LN2_HI = 0.693359375f;
  private static final float LN2_LO = -2.12194440e-4f;
  private static final float P0 = 1.9875691500e-4f;
  private static final float P1 = 1.3981999507e-3f;
  private static final float P2 = 8.3334519073e-3f;
  private static final float P3 = 4.1665795894e-2f;
  private static final float P4 = 1.6666665459e-1f;
  private static final float P5 = 5.0000001201e-1f;
  private static final float LOW = -87f;
  private static final float HIGH = 88f;

  static FloatVector exp(FloatVector x) {
    FloatVector xc = x.max(LOW).min(HIGH);
    FloatVector t = xc.mul(LOG2E).add(MAGIC);
    FloatVector n = t.sub(MAGIC);
    FloatVector r = n.fma(FloatVector.broadcast(S, -LN2_HI), xc);
    r = n.fma(FloatVector.broadcast(S, -LN2_LO), r);
    FloatVector p = r.fma(P0, P1);
    p = p.fma(r, FloatVector.broadcast(S, P2));
    p = p.fma(r, FloatVector.broadcast(S, P3));
    p = p.fma(r, FloatVector.broadcast(S, P4));
    p = p.fma(r, FloatVector.broadcast(S, P5));
    FloatVector y = p.fma(r.mul(r), r).add(1f);
    IntVector e = ((IntVector) t.reinterpretAsInts()).sub(MAGIC_BITS - 127).lanewise(VectorOperators.LSHL, 23);
    return y.mul((FloatVector) e.reinterpretAsFloats());
  }

  static float exp(float x) {
    float xc = Math.min(Math.max(x, LOW), HIGH);
    float t = xc * LOG2E + MAGIC;
    float n = t - MAGIC;
    float r = Math.fma(n, -LN2_HI, xc);
    r = Math.fma(n, -LN2_LO, r);
    float p = Math.fma(r, P0, P1);
    p = Math.fma(p, r, P2);
    p = Math.fma(p, r, P3);
    p = Math.fma(p, r, P4);
    p = Math.fma(p, r, P5);
    float y = Math.fma(p, r * r, r) + 1f;
    int e = (Float.floatToRawIntBits(t) - (MAGIC_BITS - 127)) << 23;
    return y * Float.intBitsToFloat(e);
  }

  /** 1 / (1 + exp(-z)). */
  static FloatVector sigmoid(FloatVector z) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    return one.div(exp(z.neg()).add(one));
  }

  static float sigmoid(float z) {
    return 1f / (exp(-z) + 1f);
  }

  /** 1 - 2 / (exp(2x) + 1). */
  static FloatVector tanh(FloatVector x) {
    FloatVector one = FloatVector.broadcast(S, 1f);
    return one.sub(FloatVector.broadcast(S, 2f).div(exp(x.add(x)).add(one)));
  }

  static float tanh(float x) {
    return 1f - 2f / (exp(x + x) + 1f);
  }
}
