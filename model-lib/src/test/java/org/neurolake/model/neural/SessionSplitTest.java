package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.neurolake.model.neural.SessionSplit.Subset;

class SessionSplitTest {
  /** Subsets of trials 0..n-1 as letters: r(train), v(alid), t(est). */
  private static String letters(SessionSplit s, int n) {
    StringBuilder b = new StringBuilder();
    for (int t = 0; t < n; t++) {
      b.append("rvt".charAt(s.subsetOf(t).ordinal()));
    }
    return b.toString();
  }

  /**
   * Recorded from LfadsData (through HashSplitter) before the split moved here. Existing lakes and
   * checkpoints rely on these: a failure here means runs would be scored on other trials.
   */
  @Test
  void assignsExactlyWhatRunsRecordedBeforehand() {
    assertEquals("rrtrrrrvvrtvtrtrrrrtttrvtrrrrrrrrrrttvrv", letters(new SessionSplit(0.1, 0.2, 0.25, 1), 40));
    assertEquals("rrrttrrrrvtrrrrvrtrvrrrrrrrtrrrtrrrrvrrr", letters(new SessionSplit(0.1, 0.2, 0.25, 2024), 40));
    assertEquals("trvrrrrvrrtrrtrrtrrrvtrttvrtrtrrvtrrrrvr", letters(new SessionSplit(0.15, 0.25, 0, 7), 40));
    assertArrayEquals(new int[] {0, 2, 3, 7, 8, 23, 27, 28, 29, 37, 38, 40, 49, 53, 56},
        new SessionSplit(0.1, 0.2, 0.25, 1).heldOutNeurons(61));
    assertArrayEquals(new int[] {0, 3, 9, 14, 19}, new SessionSplit(0.1, 0.2, 0.25, 2024).heldOutNeurons(20));
    TrialSplit ex1 = new SessionSplit(0.1, 0.2, 0.25, 1).trials(210);
    assertEquals(154, ex1.train().length);
    assertEquals(21, ex1.valid().length);
    assertEquals(35, ex1.test().length);
  }

  @Test
  void splitsTrialsStablyInTheRequestedProportions() {
    SessionSplit s = new SessionSplit(0.1, 0.2, 0, 3);
    Map<Subset, Integer> n = new EnumMap<>(Subset.class);
    for (int t = 0; t < 10_000; t++) {
      n.merge(s.subsetOf(t), 1, Integer::sum);
      assertEquals(s.subsetOf(t), new SessionSplit(0.1, 0.2, 0.25, 3).subsetOf(t),
          "the neuron split must not move trials");
    }
    assertEquals(0.7, n.get(Subset.TRAIN) / 10_000.0, 0.02);
    assertEquals(0.1, n.get(Subset.VALID) / 10_000.0, 0.02);
    assertEquals(0.2, n.get(Subset.TEST) / 10_000.0, 0.02);
    long moved = IntStream.range(0, 1000).filter(t -> s.subsetOf(t) != new SessionSplit(0.1, 0.2, 0, 4).subsetOf(t))
        .count();
    assertTrue(moved > 100, "another seed gives another split");
  }

  @Test
  void trialIndicesFollowTheTrialNumbersAtEachPosition() {
    SessionSplit s = new SessionSplit(0.1, 0.2, 0, 1);
    TrialSplit byIndex = s.trials(210);
    for (int t : byIndex.test()) {
      assertEquals(Subset.TEST, s.subsetOf(t));
    }
    assertEquals(210, byIndex.train().length + byIndex.valid().length + byIndex.test().length);
    // Trials 100..109 in reverse: position i holds trial 109 - i.
    int[] numbers = IntStream.range(0, 10).map(i -> 109 - i).toArray();
    TrialSplit reordered = s.trials(numbers);
    for (int i : reordered.train()) {
      assertEquals(Subset.TRAIN, s.subsetOf(numbers[i]));
    }
    for (int i : reordered.valid()) {
      assertEquals(Subset.VALID, s.subsetOf(numbers[i]));
    }
    for (int i : reordered.test()) {
      assertEquals(Subset.TEST, s.subsetOf(numbers[i]));
    }
    assertEquals(s.trials(210), new SessionSplit(0.1, 0.2, 0, 1).trials(210), "seeded");
  }

  @Test
  void heldOutAndHeldInNeuronsPartitionTheSession() {
    SessionSplit s = new SessionSplit(0.1, 0.2, 0.25, 1);
    int[] out = s.heldOutNeurons(61);
    int[] in = s.heldInNeurons(61);
    assertEquals(15, out.length);
    assertEquals(46, in.length);
    assertArrayEquals(IntStream.range(0, 61).toArray(),
        IntStream.concat(IntStream.of(out), IntStream.of(in)).sorted().toArray());
    assertEquals(new NeuronSplit(61, in, out), s.neurons(61));
    assertEquals(0, new SessionSplit(0.1, 0.2, 0, 1).heldOutNeurons(50).length);
    assertEquals(NeuronSplit.allHeldIn(50), new SessionSplit(0.1, 0.2, 0, 1).neurons(50));
    assertThrows(IllegalArgumentException.class, () -> new SessionSplit(0.1, 0.2, 0.01, 1).heldOutNeurons(10));
  }

  @Test
  void rejectsFractionsThatLeaveNoTrainingOrNoTestTrials() {
    assertThrows(IllegalArgumentException.class, () -> new SessionSplit(0.5, 0.5, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SessionSplit(0.1, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SessionSplit(-0.1, 0.2, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new SessionSplit(0.1, 0.2, 1, 1));
  }

  @Test
  void aSplitByConditionHoldsOutWholeConditions() {
    // 400 conditions x 10 trials numbered condition * 10 + repetition, as the synthetic sessions.
    SessionSplit byCondition = new SessionSplit(0.1, 0.2, 0, 1, SessionSplit.Unit.CONDITION);
    SessionSplit byTrial = new SessionSplit(0.1, 0.2, 0, 1);
    Map<Subset, Integer> conditions = new EnumMap<>(Subset.class);
    int mixedByTrial = 0;
    for (int c = 0; c < 400; c++) {
      Subset first = byCondition.subsetOf(c * 10, Integer.toString(c));
      conditions.merge(first, 1, Integer::sum);
      boolean mixed = false;
      for (int r = 0; r < 10; r++) {
        assertEquals(first, byCondition.subsetOf(c * 10 + r, Integer.toString(c)), "condition " + c);
        mixed |= byTrial.subsetOf(c * 10 + r) != byTrial.subsetOf(c * 10);
        assertEquals(byTrial.subsetOf(c * 10 + r), byTrial.subsetOf(c * 10 + r, Integer.toString(c)),
            "a split by trial ignores the condition");
      }
      mixedByTrial += mixed ? 1 : 0;
    }
    assertEquals(0.7, conditions.get(Subset.TRAIN) / 400.0, 0.06);
    assertEquals(0.2, conditions.get(Subset.TEST) / 400.0, 0.05);
    assertTrue(mixedByTrial > 300, "a split by trial spreads conditions over subsets: " + mixedByTrial);
    assertThrows(IllegalArgumentException.class, () -> byCondition.subsetOf(1, null));
    assertThrows(IllegalStateException.class, () -> byCondition.subsetOf(1));
  }
}
