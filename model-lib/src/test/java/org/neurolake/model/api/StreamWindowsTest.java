package org.neurolake.model.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StreamWindowsTest {
  @Test
  void eachSequenceGoesWholeToTheLaneWithTheFewestWindows() {
    // Sequences of 5, 3 and 4 items (4, 2 and 3 predictions) at offsets 0, 5 and 8; 2 lanes, windows of 2.
    StreamWindows w = StreamWindows.layout(new int[] {5, 3, 4}, 2, 2);
    assertEquals(3, w.windowsPerLane());
    assertEquals(6, w.size());
    // Example e is window e / 2 of lane e % 2: lane 0 holds the first sequence; lane 1, with fewer
    // windows, the second and then the third; lane 0 ends in a padding window.
    int[][] expected = {{0, 2, 0}, {5, 2, 0}, {2, 2, 1}, {8, 2, 0}, {0, 0, 0}, {10, 1, 1}};
    for (int e = 0; e < expected.length; e++) {
      assertEquals(expected[e][0], w.start(e), "start of " + e);
      assertEquals(expected[e][1], w.inputs(e), "inputs of " + e);
      assertEquals(expected[e][2] == 1, w.continues(e), "continuation of " + e);
    }
    assertEquals(9, w.predictions());
    assertThrows(IllegalArgumentException.class, () -> StreamWindows.layout(new int[] {1}, 2, 2));
  }
}
