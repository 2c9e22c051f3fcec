package org.neurolake.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KnDiscountsTest {
  @Test
  void chenGoodmanFormulaByHand() {
    // n1..n4 = 10, 4, 2, 1: Y = 10 / 18; D1 = 1 - 2·(10/18)·4/10 = 5/9; D2 = 2 - 3·(10/18)·2/4 = 7/6;
    // D3+ = 3 - 4·(10/18)·1/2 = 17/9.
    KnDiscounts d = KnDiscounts.of(2, 10, 4, 2, 1);
    assertEquals(5.0 / 9, d.d1(), 1e-15);
    assertEquals(7.0 / 6, d.d2(), 1e-15);
    assertEquals(17.0 / 9, d.d3plus(), 1e-15);
    assertEquals(d.d1(), d.discount(1));
    assertEquals(d.d2(), d.discount(2));
    assertEquals(d.d3plus(), d.discount(3));
    assertEquals(d.d3plus(), d.discount(40));
  }

  @Test
  void tooFewDistinctCountsAreAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KnDiscounts.of(3, 5, 0, 0, 0));
    assertEquals(true, e.getMessage().contains("order 3"), e.getMessage());
  }
}
