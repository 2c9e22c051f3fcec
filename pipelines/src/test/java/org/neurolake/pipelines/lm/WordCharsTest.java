package org.neurolake.pipelines.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WordCharsTest {
  @Test
  void bytesBetweenMarkersPaddedToFifty() {
    int[] expected = new int[50];
    Arrays.fill(expected, 258);
    expected[0] = 256;
    expected[1] = 'c';
    expected[2] = 'a';
    expected[3] = 't';
    expected[4] = 257;
    assertArrayEquals(expected, WordChars.encode("cat"));
  }

  @Test
  void multiByteCharactersAreTheirUtf8Bytes() {
    int[] c = WordChars.encode("é");
    assertArrayEquals(new int[] {256, 0xC3, 0xA9, 257, 258}, Arrays.copyOf(c, 5));
  }

  @Test
  void longWordsAreCutAndKeepTheEndMarker() {
    int[] c = WordChars.encode("x".repeat(60));
    assertEquals(50, c.length);
    assertEquals(256, c[0]);
    assertEquals('x', c[48]);
    assertEquals(257, c[49]);
  }
}
