package org.neurolake.lfads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.RunOptions;

class LfadsDataTest {
  @Test
  void splitsTrialsStablyInTheRequestedProportions() {
    LfadsData d = new LfadsData(0.1, 0.2, 0, 3);
    Map<Split, Integer> n = new EnumMap<>(Split.class);
    for (int t = 0; t < 10_000; t++) {
      n.merge(d.split(t), 1, Integer::sum);
      assertEquals(d.split(t), new LfadsData(0.1, 0.2, 0.25, 3).split(t), "the neuron split must not move trials");
    }
    assertEquals(0.7, n.get(Split.TRAIN) / 10_000.0, 0.02);
    assertEquals(0.1, n.get(Split.DEV) / 10_000.0, 0.02);
    assertEquals(0.2, n.get(Split.TEST) / 10_000.0, 0.02);
    long moved = IntStream.range(0, 1000).filter(t -> d.split(t) != new LfadsData(0.1, 0.2, 0, 4).split(t)).count();
    assertTrue(moved > 100, "another seed gives another split");
  }

  @Test
  void heldOutAndHeldInNeuronsPartitionTheSession() {
    LfadsData d = new LfadsData(0.1, 0.2, 0.25, 1);
    int[] out = d.heldOutNeurons(61);
    int[] in = d.heldInNeurons(61);
    assertEquals(15, out.length);
    assertEquals(46, in.length);
    assertArrayEquals(IntStream.range(0, 61).toArray(),
        IntStream.concat(IntStream.of(out), IntStream.of(in)).sorted().toArray());
    assertArrayEquals(out, new LfadsData(0.1, 0.2, 0.25, 1).heldOutNeurons(61), "seeded");
    assertEquals(0, new LfadsData(0.1, 0.2, 0, 1).heldOutNeurons(50).length);
    assertThrows(IllegalArgumentException.class, () -> new LfadsData(0.1, 0.2, 0.01, 1).heldOutNeurons(10));
  }

  @Test
  void readsItsOptionsAndRejectsOthers() {
    LfadsData d = LfadsData.from(RunOptions.load(null, Map.of("data.test-fraction", "0.3", "data.split-seed", "5")));
    assertEquals(new LfadsData(0.1, 0.3, 0, 5), d);
    assertThrows(IllegalArgumentException.class, () -> LfadsData.from(RunOptions.load(null, Map.of("data.tset", "1"))));
    assertThrows(IllegalArgumentException.class, () -> new LfadsData(0.5, 0.5, 0, 1));
  }
}
