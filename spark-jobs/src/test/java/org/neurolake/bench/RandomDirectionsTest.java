package org.neurolake.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link RandomDirections}: the melc benchmarks' directions, drawn direction by direction from one seeded generator. */
class RandomDirectionsTest {

  @Test
  void drawsEachDirectionInTurnFromTheSeed() {
    List<double[]> d = RandomDirections.gaussian(23, 3, 4);
    assertEquals(3, d.size());
    Random reference = new Random(23);
    for (double[] u : d) {
      assertEquals(4, u.length);
      for (double x : u) {
        assertEquals(reference.nextGaussian(), x, 0.0);
      }
    }
    assertArrayEquals(d.get(2), RandomDirections.gaussian(23, 3, 4).get(2), 0.0);
    assertFalse(Arrays.equals(d.get(0), RandomDirections.gaussian(29, 3, 4).get(0)));
  }
}
