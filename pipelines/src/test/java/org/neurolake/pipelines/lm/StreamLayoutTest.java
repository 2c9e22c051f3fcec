package org.neurolake.pipelines.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class StreamLayoutTest {
  @Test
  void streamsAreContiguousAndNearlyEqual() {
    for (long total : new long[] {7, 10, 101, 1000}) {
      for (int streams : new int[] {1, 2, 3, 7}) {
        StreamLayout l = new StreamLayout(total, streams, 4);
        assertEquals(0, l.start(0));
        assertEquals(total, l.start(streams));
        for (int s = 0; s < streams; s++) {
          long len = l.start(s + 1) - l.start(s);
          assertEquals(total / streams, len, 1.0, "stream " + s + " of " + streams + " over " + total);
        }
        int expectedStream = 0;
        for (long p = 0; p < total; p++) {
          while (l.start(expectedStream + 1) <= p) {
            expectedStream++;
          }
          assertEquals(expectedStream, l.streamOf(p), "position " + p);
          assertEquals((p - l.start(expectedStream)) / 4, l.chunkOf(p));
        }
      }
    }
  }

  @Test
  void moreStreamsThanTokensIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new StreamLayout(2, 3, 4));
  }
}
