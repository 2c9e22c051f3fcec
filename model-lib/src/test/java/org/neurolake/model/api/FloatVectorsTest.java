package org.neurolake.model.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class FloatVectorsTest {
  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextGaussian() * 1e3f;
    }
    v[0] = Float.MIN_VALUE;
    v[n - 1] = -0.0f;
    return v;
  }

  @Test
  void denseArraysCopyInBulkBitForBit() {
    float[] v = random(100_003, 1);
    INDArray a = Nd4j.create(DataType.FLOAT, 100_003);
    assertNotNull(FloatVectors.bulkView(a), "a dense float vector takes the bulk path");
    FloatVectors.copyInto(v, a);
    assertArrayEquals(v, a.toFloatVector(), "written as ND4J reads it");
    assertArrayEquals(a.toFloatVector(), FloatVectors.toArray(a), "read as ND4J reads it");

    INDArray m = Nd4j.create(DataType.FLOAT, 301, 7);
    float[] w = random(301 * 7, 2);
    FloatVectors.copyInto(w, m);
    assertArrayEquals(w, Nd4j.toFlattened('c', m).toFloatVector(), "a matrix is filled in c order");
    assertArrayEquals(w, FloatVectors.toArray(m));
  }

  @Test
  void stridedViewsAndOffsetsTakeNd4jsPathWithTheSameValues() {
    INDArray m = Nd4j.create(DataType.FLOAT, 50, 40);
    FloatVectors.copyInto(random(2000, 3), m);
    INDArray column = m.get(NDArrayIndex.all(), NDArrayIndex.point(3));
    INDArray row = m.get(NDArrayIndex.point(5), NDArrayIndex.all());
    INDArray transposed = m.transpose();
    for (INDArray view : new INDArray[] {column, row, transposed}) {
      if (view != row) {
        assertNull(FloatVectors.bulkView(view), "not contiguous at the buffer's start");
      }
      assertArrayEquals(Nd4j.toFlattened('c', view).toFloatVector(), FloatVectors.toArray(view));
      float[] v = random((int) view.length(), view.length());
      FloatVectors.copyInto(v, view);
      assertArrayEquals(v, Nd4j.toFlattened('c', view).toFloatVector());
    }
    assertArrayEquals(Nd4j.toFlattened('c', m.get(NDArrayIndex.point(6), NDArrayIndex.all())).toFloatVector(),
        FloatVectors.toArray(m.get(NDArrayIndex.point(6), NDArrayIndex.all())), "the row after the written one");
  }

  @Test
  void readOnlyViewsShareADenseArraysBufferAndCopyAnyOther() {
    INDArray a = Nd4j.create(DataType.FLOAT, 1001);
    float[] v = random(1001, 4);
    FloatVectors.copyInto(v, a);
    java.nio.FloatBuffer view = FloatVectors.readOnlyView(a);
    assertTrue(view.isReadOnly() && view.isDirect(), "a view of the array's own (off-heap) buffer");
    float[] read = new float[view.remaining()];
    view.duplicate().get(read);
    assertArrayEquals(v, read, "the array's values, bit for bit");
    a.putScalar(7, 42f);
    assertEquals(42f, view.get(7), "a view, not a copy: it sees the array change");

    INDArray column = Nd4j.create(DataType.FLOAT, 30, 20).get(NDArrayIndex.all(), NDArrayIndex.point(3));
    FloatVectors.copyInto(random(30, 5), column);
    java.nio.FloatBuffer copied = FloatVectors.readOnlyView(column);
    assertTrue(copied.isReadOnly());
    float[] c = new float[copied.remaining()];
    copied.get(c);
    assertArrayEquals(FloatVectors.toArray(column), c, "a strided view's values, copied");
    INDArray d = Nd4j.create(DataType.DOUBLE, 5).assign(1.5);
    assertEquals(5, FloatVectors.readOnlyView(d).remaining(), "another type is converted");
  }

  @Test
  void wrongLengthIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> FloatVectors.copyInto(new float[3], Nd4j.create(DataType.FLOAT, 4)));
  }
}
