package org.neurolake.pipelines.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashSplitterTest {
  @Test
  void sameIdAlwaysGetsTheSameSplit() {
    HashSplitter s = new HashSplitter(0.8, 0.1);
    for (int i = 0; i < 1000; i++) {
      assertEquals(s.assign("doc-" + i), new HashSplitter(0.8, 0.1).assign("doc-" + i));
    }
  }

  @Test
  void fractionsAreRespectedEvenForAdjacentIds() {
    HashSplitter s = new HashSplitter(0.8, 0.1);
    Map<Split, Integer> counts = new EnumMap<>(Split.class);
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      counts.merge(s.assign("amazon:file.jsonl:" + i), 1, Integer::sum);
    }
    assertEquals(0.8, counts.get(Split.TRAIN) / (double) n, 0.01);
    assertEquals(0.1, counts.get(Split.DEV) / (double) n, 0.01);
    assertEquals(0.1, counts.get(Split.TEST) / (double) n, 0.01);
  }

  @Test
  void rejectsFractionsAboveOne() {
    assertThrows(IllegalArgumentException.class, () -> new HashSplitter(0.9, 0.2));
    assertThrows(IllegalArgumentException.class, () -> new HashSplitter(-0.1, 0.2));
  }

  @Test
  void parsesSplitSynonyms() {
    assertEquals(Split.DEV, Split.parse("valid"));
    assertEquals(Split.DEV, Split.parse("Validation"));
    assertEquals(Split.TRAIN, Split.parse("train"));
    assertThrows(IllegalArgumentException.class, () -> Split.parse("holdout"));
  }
}
