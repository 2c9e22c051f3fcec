package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DoubleMeanTest {
  @Test
  void meanOfManyIsTheSequentialMeanBitForBit() {
    // Three chunks and a part, values spread over many binades so the order of the sum matters.
    int length = 3 * DoubleMean.CHUNK + 123;
    Random r = new Random(7);
    List<FloatBuffer> views = new ArrayList<>();
    DoubleMean sequential = new DoubleMean(length);
    for (int k = 0; k < 8; k++) {
      float[] v = new float[length];
      for (int i = 0; i < length; i++) {
        v[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(16) - 8));
      }
      sequential.add(v);
      FloatBuffer view = FloatBuffer.wrap(v, 0, length).slice();
      views.add(view);
    }
    float[] expected = sequential.mean();
    float[] got = DoubleMean.meanOf(views, length);
    assertEquals(length, got.length);
    for (int i = 0; i < length; i++) {
      assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(got[i]), "element " + i);
    }
    assertEquals(length, views.get(0).remaining(), "the views' positions are left unchanged");
    assertArrayEquals(new float[0], DoubleMean.meanOf(List.of(FloatBuffer.allocate(0)), 0));
  }
}
