package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegularizationGridTest {
  @Test
  void thePapersGridIsTwoToTheMinusEightUpToOne() {
    List<Double> grid = RegularizationGrid.paperGrid();
    assertEquals(9, grid.size());
    assertEquals(1.0 / 256, grid.get(0));
    assertEquals(1.0, grid.get(8));
    for (int i = 1; i < grid.size(); i++) {
      assertEquals(2 * grid.get(i - 1), grid.get(i));
    }
  }

  @Test
  void aGridOfExponentsIsSortedAndDeduplicated() {
    assertEquals(List.of(0.25, 1.0, 4.0), RegularizationGrid.grid(List.of(2, 0, -2, 0)));
    assertEquals(RegularizationGrid.paperGrid(), RegularizationGrid.grid(List.of(-8, -7, -6, -5, -4, -3, -2, -1, 0)));
    assertThrows(IllegalArgumentException.class, () -> RegularizationGrid.grid(List.of()));
  }

  @Test
  void regParamIsOneOverCTimesN() {
    // scikit-learn C * sum(loss) + |w|_1 divided by C n = mean(loss) + |w|_1 / (C n).
    assertEquals(1.0 / (0.25 * 6920), RegularizationGrid.regParam(0.25, 6920), 1e-15);
    assertEquals(1.0 / 8, RegularizationGrid.regParam(1.0, 8));
    assertEquals(256.0 / 8, RegularizationGrid.regParam(1.0 / 256, 8));
  }

  @Test
  void theMappingRoundTrips() {
    for (double c : RegularizationGrid.paperGrid()) {
      assertEquals(c, RegularizationGrid.c(RegularizationGrid.regParam(c, 1000), 1000), 1e-12 * c);
    }
  }

  @Test
  void refusesNonsense() {
    assertThrows(IllegalArgumentException.class, () -> RegularizationGrid.regParam(0, 10));
    assertThrows(IllegalArgumentException.class, () -> RegularizationGrid.regParam(1, 0));
    assertThrows(IllegalArgumentException.class, () -> RegularizationGrid.c(Double.POSITIVE_INFINITY, 10));
  }
}
