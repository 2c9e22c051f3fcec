package org.neurolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RotatedRepetitionsTest {
  @Test
  void everyRepetitionRotatesTheOrderSoEachScenarioRunsInEveryPlace() throws Exception {
    List<String> calls = new ArrayList<>();
    Map<String, RotatedRepetitions.Scenario<Integer>> scenarios = new LinkedHashMap<>();
    for (String n : List.of("a", "b", "c")) {
      scenarios.put(n, rep -> {
        calls.add(n + rep);
        return rep;
      });
    }
    Map<String, List<Integer>> results = RotatedRepetitions.run(4, scenarios);
    assertEquals(List.of("a0", "b0", "c0", "b1", "c1", "a1", "c2", "a2", "b2", "a3", "b3", "c3"), calls);
    assertEquals(List.of("a", "b", "c"), new ArrayList<>(results.keySet()));
    assertEquals(List.of(0, 1, 2, 3), results.get("b"), "results in repetition order, whatever the run order");
  }

  @Test
  void ratiosAreTakenPerRepetitionThenSummarised() {
    Spread s = Spread.ofRatios(new double[] {2, 9, 3, 4, 10}, new double[] {1, 3, 1, 1, 2});
    // per repetition: 2, 3, 3, 4, 5
    assertEquals(new Spread(3, 2, 5, 5), s);
    assertEquals(new Spread(2.5, 1, 4, 4), Spread.of(4, 1, 3, 2));
    assertThrows(IllegalArgumentException.class, () -> Spread.ofRatios(new double[] {1}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> RotatedRepetitions.run(0, Map.of("a", rep -> 1)));
  }

  @Test
  void aSpreadPrintsItsMedianAndRangeUnderOneKey() {
    assertEquals("BENCH x r=3 r_min=2 r_max=5", new BenchLine("x").put("r", new Spread(3, 2, 5, 5)).toString());
  }
}
