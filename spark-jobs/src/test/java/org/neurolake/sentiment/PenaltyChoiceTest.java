package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PenaltyChoiceTest {
  @Test
  void choosesTheHighestDevAccuracyAndTheFirstOnTies() {
    Map<String, Double> dev = Map.of("a", 0.7, "b", 0.9, "c", 0.9, "d", 0.8);
    PenaltyChoice<String> choice = PenaltyChoice.onDev(List.of(0.125, 0.25, 0.5, 1.0), List.of("a", "b", "c", "d"),
        dev::get);
    assertEquals(1, choice.chosenIndex());
    assertEquals("b", choice.chosenModel());
    assertEquals(new PenaltyScore(0.25, 0.9), choice.chosen());
    assertEquals(List.of(0.7, 0.9, 0.9, 0.8), choice.scores().stream().map(PenaltyScore::devAccuracy).toList());
  }

  @Test
  void namesEachPenaltysDevAccuracyByItsExponent() {
    assertEquals("accuracy_c=2^-3", new PenaltyScore(0.125, 0.5).metric());
    assertEquals("accuracy_c=2^0", new PenaltyScore(1.0, 0.5).metric());
    assertThrows(IllegalArgumentException.class, () -> new PenaltyScore(0, 0.5));
  }

  @Test
  void needsOneModelPerPenalty() {
    assertThrows(IllegalArgumentException.class, () -> PenaltyChoice.onDev(List.of(1.0, 2.0), List.of("a"), m -> 1));
    assertThrows(IllegalArgumentException.class, () -> new PenaltyChoice<>(List.of(), List.of()));
  }
}
