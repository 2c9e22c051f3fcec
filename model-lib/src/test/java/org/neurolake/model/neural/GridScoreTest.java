package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GridScoreTest {
  @Test
  void aChoiceAtEitherEndOfAGridIsFlaggedWhateverTheGridsOrder() {
    assertTrue(GridScore.atEdge(1, 2, 1, 4));
    assertTrue(GridScore.atEdge(4, 2, 1, 4));
    assertFalse(GridScore.atEdge(2, 2, 1, 4));
    assertFalse(GridScore.atEdge(3, 3), "a grid of one value has no edge to widen");
  }
}
