package org.neurolake.model.api;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Copies between a model's {@code float[]} vectors ({@link TrainableModel#parameters()},
 * {@link TrainableModel#setParameters}) and ND4J arrays. ND4J's own paths ({@code toFloatVector},
 * {@code Nd4j.createFromArray}) copy element by element through an indexer, and the second also
 * allocates a new off-heap buffer; at a model's size they were most of a round's engine overhead.
 * Here a dense float array in c order on the CPU backend is copied in one bulk copy through an NIO
 * view of its buffer; any other array (a strided view, another type, a GPU backend) takes ND4J's
 * path. Either way the values are the same, bit for bit.
 */
public final class FloatVectors {
  private FloatVectors() {}

  /** {@code a}'s values in c order, as a new array. */
  public static float[] toArray(INDArray a) {
    FloatBuffer view = bulkView(a);
    if (view == null) {
      return Nd4j.toFlattened('c', a).castTo(DataType.FLOAT).toFloatVector();
    }
    float[] out = new float[(int) a.length()];
    view.get(out);
    return out;
  }

  /**
   * {@code a}'s values in c order as a read-only buffer (position 0): a view of its own buffer when
   * the bulk copy could read it, so no copy (valid while {@code a} is unchanged); otherwise a copy.
   */
  public static FloatBuffer readOnlyView(INDArray a) {
    FloatBuffer view = bulkView(a);
    return (view != null ? view : FloatBuffer.wrap(toArray(a))).asReadOnlyBuffer();
  }

  /** Writes {@code values} into {@code target} in c order; their lengths must agree. */
  public static void copyInto(float[] values, INDArray target) {
    if (values.length != target.length()) {
      throw new IllegalArgumentException("expected " + target.length() + " values, got " + values.length);
    }
    FloatBuffer view = bulkView(target);
    if (view == null) {
      target.assign(Nd4j.createFromArray(values).castTo(target.dataType()).reshape('c', target.shape()));
      return;
    }
    view.put(values);
  }

  /**
   * A view of {@code a}'s values, positioned at its first, when they lie contiguous in c order at the
   * start of a host float buffer; null otherwise.
   */
  static FloatBuffer bulkView(INDArray a) {
    if (!Nd4j.getEnvironment().isCPU() || a.dataType() != DataType.FLOAT || a.isEmpty() || a.offset() != 0
        || a.data().offset() != 0 || a.length() > Integer.MAX_VALUE || a.data().length() < a.length()) {
      return null;
    }
    boolean dense = a.length() == 1 || (a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a))
        || (a.isVector() && a.elementWiseStride() == 1);
    if (!dense) {
      return null;
    }
    FloatBuffer b = a.data().asNioFloat().duplicate();
    b.position(0).limit((int) a.length());
    return b;
  }
}
