package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinearProbeTest {
  @Test
  void predictsBySignOfTheMarginAndCountsNonZeroWeights() {
    LinearProbe p = new LinearProbe(new double[] {0, -3, 0.5, 0}, 0.25);
    assertEquals(2, p.nonZeroWeights());
    assertEquals(1, p.largestWeight());
    assertEquals(1, p.predict(new float[] {9, 0, 0, 9}));
    assertEquals(0, p.predict(new float[] {0, 1, 0, 0}));
    assertEquals(0.5, p.accuracy(new float[][] {{0, 0, 0, 0}, {0, 1, 0, 0}}, new int[] {0, 0}));
    assertThrows(IllegalArgumentException.class, () -> p.predict(new float[3]));
    assertEquals(-1, new LinearProbe(new double[3], 1).largestWeight());
  }

  @Test
  void byteNgramsAreTaggedByLength() {
    assertEquals(List.of("161", "162", "26162"), ByteNgrams.tokens("ab".getBytes(), 3));
    assertEquals(List.of("1ff"), ByteNgrams.tokens(new byte[] {(byte) 0xFF}, 2));
  }

  @Test
  void documentsGoToAStableShard() {
    assertEquals(ByteSequenceShards.shardOf("imdb:x.jsonl:120", 3), ByteSequenceShards.shardOf("imdb:x.jsonl:120", 3));
    int[] counts = new int[3];
    for (int i = 0; i < 3000; i++) {
      counts[ByteSequenceShards.shardOf("imdb:f:" + i, 3)]++;
    }
    for (int c : counts) {
      assertEquals(1000, c, 150, "balanced shards: " + java.util.Arrays.toString(counts));
    }
  }

  @Test
  void sst2IsRefusedAsATrainingSource() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SentimentModels.requireTrainable("SST2"));
    assertEquals(true, e.getMessage().contains("SST2"));
    SentimentModels.requireTrainable("imdb");
  }
}
