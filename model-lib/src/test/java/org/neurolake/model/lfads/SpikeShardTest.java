package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.Batch;

class SpikeShardTest {
  /** Trial i, neuron n, bin t of a 4-neuron, 3-bin recording holds 100 i + 10 n + t. */
  static int[] trial(int i) {
    int[] c = new int[4 * 3];
    for (int n = 0; n < 4; n++) {
      for (int t = 0; t < 3; t++) {
        c[n * 3 + t] = 100 * i + 10 * n + t;
      }
    }
    return c;
  }

  @Test
  void fromNeuronMajorReordersHeldInThenHeldOut() {
    SpikeShard s = SpikeShard.fromNeuronMajor(List.of(trial(0), trial(1)), 4, 3, new int[] {2, 0}, new int[] {3});
    assertEquals(2, s.size());
    assertEquals(2, s.nIn());
    assertEquals(3, s.nOut());
    assertEquals(3, s.nBins());
    assertEquals(100 + 20 + 1, s.count(1, 1, 0)); // neuron 2, bin 1
    assertEquals(100 + 0 + 2, s.count(1, 2, 1)); // neuron 0, bin 2
    assertEquals(30 + 0, s.count(0, 0, 2)); // held-out neuron 3
  }

  @Test
  void batchesHaveTheDocumentedLayoutAndWrapAround() {
    SpikeShard s = SpikeShard.fromNeuronMajor(List.of(trial(0), trial(1), trial(2)), 4, 3, new int[] {1, 2},
        new int[] {0});
    Batch b = s.batch(2, 2); // trials 2 then 0
    assertArrayEquals(new long[] {2, 3, 2}, b.features().shape());
    assertArrayEquals(new long[] {2, 3, 3}, b.labels().shape());
    assertEquals(200 + 10 + 1, b.features().getFloat(0, 1, 0));
    assertEquals(200 + 20 + 2, b.features().getFloat(0, 2, 1));
    assertEquals(0 + 0 + 2, b.labels().getFloat(1, 2, 2));
    assertEquals(0 + 20 + 0, b.labels().getFloat(1, 0, 1));
    assertTrue(s.toString().contains("3 trials"));
  }

  @Test
  void badInputsAreRefusedWithTheReason() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> SpikeShard.fromNeuronMajor(List.of(trial(0)), 4, 3, new int[] {1}, new int[] {1}));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> SpikeShard.fromNeuronMajor(List.of(new int[5]), 4, 3, new int[] {1}, new int[0]));
    assertTrue(e.getMessage().contains("trial 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> SpikeShard.fromNeuronMajor(List.of(trial(0)), 4, 3, new int[] {4}, new int[0]));
    assertThrows(IllegalArgumentException.class,
        () -> SpikeShard.fromNeuronMajor(List.of(trial(0)), 4, 3, new int[0], new int[] {1}));
    e = assertThrows(IllegalArgumentException.class, () -> new SpikeShard(new float[] {1, -1}, 1, 1, 1, 2));
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new SpikeShard(new float[3], 1, 1, 1, 2));
    assertThrows(IllegalStateException.class, () -> new SpikeShard(new float[0], 0, 2, 1, 1).batch(0, 1));
  }
}
