package org.neurolake.pipelines.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteSequenceCutterTest {
  @Test
  void chunksConcatenateBackToTheDocument() {
    Random r = new Random(1);
    for (int len : new int[] {0, 1, 255, 256, 257, 1000}) {
      byte[] doc = new byte[len];
      r.nextBytes(doc);
      List<byte[]> chunks = new ByteSequenceCutter(256).cut(doc);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      chunks.forEach(out::writeBytes);
      assertArrayEquals(doc, out.toByteArray());
      assertEquals((len + 255) / 256, chunks.size());
      for (int i = 0; i + 1 < chunks.size(); i++) {
        assertEquals(256, chunks.get(i).length);
      }
    }
  }

  @Test
  void rejectsNonPositiveLength() {
    assertThrows(IllegalArgumentException.class, () -> new ByteSequenceCutter(0));
  }
}
