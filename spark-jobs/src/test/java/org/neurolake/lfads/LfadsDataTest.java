package org.neurolake.lfads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurolake.model.neural.SessionSplit;
import org.neurolake.pipelines.text.HashSplitter;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.RunOptions;

/** LfadsData's own part: options, and the mapping of SessionSplit's subsets to the tables' splits. */
class LfadsDataTest {
  @Test
  void assignsTheSplitsRunsRecordedWithHashSplitter() {
    // Until SessionSplit, split(t) was HashSplitter(1 - valid - test, valid).assign(seed + ":" + t):
    // lakes and checkpoints rely on the same trials being test trials.
    for (LfadsData d : new LfadsData[] {new LfadsData(0.1, 0.2, 0, 1), new LfadsData(0.1, 0.2, 0.25, 2024),
        new LfadsData(0.15, 0.25, 0, 7), new LfadsData(0, 0.3, 0, -5)}) {
      HashSplitter before = new HashSplitter(1 - d.validFraction() - d.testFraction(), d.validFraction());
      for (int t = 0; t < 20_000; t++) {
        assertEquals(before.assign(d.splitSeed() + ":" + t), d.split(t, null), d + " trial " + t);
      }
    }
    // Recorded from LfadsData before the change (seed 1, the configs' default).
    StringBuilder first = new StringBuilder();
    for (int t = 0; t < 40; t++) {
      first.append(switch (new LfadsData(0.1, 0.2, 0.25, 1).split(t, null)) {
        case TRAIN -> 'r';
        case DEV -> 'v';
        case TEST -> 't';
      });
    }
    assertEquals("rrtrrrrvvrtvtrtrrrrtttrvtrrrrrrrrrrttvrv", first.toString());
    assertArrayEquals(new int[] {0, 2, 3, 7, 8, 23, 27, 28, 29, 37, 38, 40, 49, 53, 56},
        new LfadsData(0.1, 0.2, 0.25, 1).heldOutNeurons(61));
  }

  @Test
  void isSessionSplitWithTheTablesSplitNames() {
    LfadsData d = new LfadsData(0.1, 0.2, 0.25, 3);
    SessionSplit s = d.sessionSplit();
    for (int t = 0; t < 1000; t++) {
      Split expected = switch (s.subsetOf(t)) {
        case TRAIN -> Split.TRAIN;
        case VALID -> Split.DEV;
        case TEST -> Split.TEST;
      };
      assertEquals(expected, d.split(t, "any condition"));
    }
    assertArrayEquals(s.heldOutNeurons(61), d.heldOutNeurons(61));
    assertArrayEquals(s.heldInNeurons(61), d.heldInNeurons(61));
  }

  @Test
  void readsItsOptionsAndRejectsOthers() {
    LfadsData d = LfadsData.from(RunOptions.load(null, Map.of("data.test-fraction", "0.3", "data.split-seed", "5")));
    assertEquals(new LfadsData(0.1, 0.3, 0, 5), d);
    assertThrows(IllegalArgumentException.class, () -> LfadsData.from(RunOptions.load(null, Map.of("data.tset", "1"))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new LfadsData(0.5, 0.5, 0, 1));
    assertTrue(e.getMessage().contains("data.valid-fraction"), e.getMessage());
  }

  @Test
  void forwardBinsAreAnOptionKeptInTheRunRecord() {
    LfadsData d = LfadsData.from(RunOptions.load(null, Map.of("data.forward-bins", "3")));
    assertEquals(3, d.forwardBins());
    assertEquals(3, d.describe().get("forward_bins"));
    assertEquals(10, d.observedBins(13));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.observedBins(3));
    assertTrue(e.getMessage().contains("data.forward-bins"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LfadsData.from(RunOptions.load(null, Map.of("data.forward-bins", "-1"))));
    assertTrue(e.getMessage().contains("data.forward-bins"), e.getMessage());
    assertEquals(0, LfadsData.from(RunOptions.load(null, Map.of())).forwardBins(), "off by default");
    assertEquals(d, new LfadsRunData.SplitSettings(0.1, 0.2, 0, 1, "trial", 3).toData());
    assertEquals(0, new LfadsRunData.SplitSettings(0.1, 0.2, 0, 1, "trial", null).toData().forwardBins(),
        "records written before forward prediction hold out no bins");
  }

  @Test
  void splitsByConditionWhenAskedAndRecordsIt() {
    LfadsData d = LfadsData.from(RunOptions.load(null, Map.of("data.split-by", "condition")));
    assertEquals(SessionSplit.Unit.CONDITION, d.splitBy());
    assertEquals("condition", d.describe().get("split_by"));
    // Every trial of a condition in the condition's split, whatever its number.
    for (int c = 0; c < 50; c++) {
      Split first = d.split(c * 10, "c" + c);
      for (int r = 1; r < 10; r++) {
        assertEquals(first, d.split(c * 10 + r, "c" + c));
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.split(3, null));
    assertTrue(e.getMessage().contains("data.split-by=condition"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> LfadsData.from(RunOptions.load(null, Map.of("data.split-by", "session"))));
    assertTrue(e.getMessage().contains("data.split-by"), e.getMessage());
    // run.json keeps the unit; records written before it existed split trials.
    assertEquals(d, new LfadsRunData.SplitSettings(0.1, 0.2, 0, 1, "condition").toData());
    assertEquals(new LfadsData(0.1, 0.2, 0, 1), new LfadsRunData.SplitSettings(0.1, 0.2, 0, 1, null).toData());
  }
}
