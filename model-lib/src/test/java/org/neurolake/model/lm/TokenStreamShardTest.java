package org.neurolake.model.lm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.Batch;

class TokenStreamShardTest {
  @Test
  void streamsAreCutIntoConsecutiveWindowsPerLane() {
    // Stream 0: 7 ids (6 predictions: 2 windows of 4), stream 1: 3 ids (2 predictions, 1 window), stream 2 (1 id) is left out.
    TokenStreamShard shard = TokenStreamShard.fromChunks(List.of(
        new TokenChunk(1, 0, new int[] {20, 21, 22}),
        new TokenChunk(0, 1, new int[] {4, 5, 6}),
        new TokenChunk(0, 0, new int[] {0, 1, 2, 3}),
        new TokenChunk(2, 0, new int[] {9})), 2, 4, null);
    assertEquals(2, shard.streams());
    assertEquals(2, shard.windowsPerLane());
    assertEquals(8, shard.predictions());
    Batch first = shard.batch(0, 2);
    assertArrayEquals(new float[] {0, 1, 2, 3, 20, 21, 0, 0}, first.features().data().asFloat());
    assertArrayEquals(new float[] {1, 2, 3, 4, 21, 22, 0, 0}, first.labels().data().asFloat());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 0}, first.labelsMask().data().asFloat());
    assertArrayEquals(new boolean[] {false, false}, first.continues());
    Batch second = shard.batch(2, 2);
    assertArrayEquals(new float[] {4, 5, 0, 0, 0, 0, 0, 0}, second.features().data().asFloat());
    assertArrayEquals(new float[] {5, 6, 0, 0, 0, 0, 0, 0}, second.labels().data().asFloat());
    assertArrayEquals(new boolean[] {true, false}, second.continues());
    // Not aligned on the lanes: nothing continues.
    assertArrayEquals(new boolean[] {false, false}, shard.batch(1, 2).continues());
  }

  @Test
  void charactersReplaceIdsWithACharTable() {
    CharTable table = CharTable.builder(3, 4).put(0, new int[] {256, 97, 257}).put(1, new int[] {256, 98, 99, 100, 257})
        .put(2, new int[] {256, 257}).build();
    TokenStreamShard shard = TokenStreamShard.of(List.of(new int[] {1, 0, 2}), 1, 2, table);
    Batch b = shard.batch(0, 1);
    assertArrayEquals(new long[] {1, 2, 4}, b.features().shape());
    assertArrayEquals(new float[] {256, 98, 99, 100, 256, 97, 257, 258}, b.features().data().asFloat());
    assertArrayEquals(new float[] {0, 2}, b.labels().data().asFloat());
    assertThrows(IllegalArgumentException.class, () -> CharTable.builder(2, 4).put(0, new int[] {256}).build());
    assertThrows(IllegalArgumentException.class,
        () -> TokenStreamShard.fromChunks(List.of(new TokenChunk(0, 1, new int[] {1, 2})), 1, 2, null));
  }
}
