package org.neurolake.model.mlstm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * SIMD access to ND4J's off-heap float buffers through the JDK's vector API
 * ({@code --add-modules jdk.incubator.vector}). Indices are in floats, not bytes. A null mask means
 * a full vector; kernels run their main loop with a literal null (which the JIT folds away) and
 * their last, partial vector with {@link #tail}.
 */
final class Lanes {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int L = S.length();
  private static final ByteOrder ORDER = ByteOrder.nativeOrder();

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

  /** The largest multiple of the vector length not above {@code n}: where a kernel's main loop ends. */
  static int bound(int n) {
    return S.loopBound(n);
  }

  /** The mask of the partial vector at {@code j} of a row of {@code n}. */
  static VectorMask<Float> tail(int j, int n) {
    return S.indexInRange(j, n);
  }

  static FloatVector ld(ByteBuffer b, int at, VectorMask<Float> m) {
    return m == null ? FloatVector.fromByteBuffer(S, b, at * 4, ORDER) : FloatVector.fromByteBuffer(S, b, at * 4, ORDER, m);
  }

  static void st(FloatVector v, ByteBuffer b, int at, VectorMask<Float> m) {
    if (m == null) {
      v.intoByteBuffer(b, at * 4, ORDER);
    } else {
      v.intoByteBuffer(b, at * 4, ORDER, m);
    }
  }

  static FloatVector ld(float[] a, int at, VectorMask<Float> m) {
    return m == null ? FloatVector.fromArray(S, a, at) : FloatVector.fromArray(S, a, at, m);
  }

  static void st(FloatVector v, float[] a, int at, VectorMask<Float> m) {
    if (m == null) {
      v.intoArray(a, at);
    } else {
      v.intoArray(a, at, m);
    }
  }

  static FloatVector sigmoid(FloatVector z) {
    return FloatVector.broadcast(S, 1f).div(z.neg().lanewise(VectorOperators.EXP).add(1f));
  }

  static FloatVector tanh(FloatVector z) {
    return z.lanewise(VectorOperators.TANH);
  }
}
