package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class GridFitsTest {
  private static final List<Double> GRID = List.of(0.5, 0.25, 1.0, 0.125, 2.0);

  @Test
  void resultsComeInGridOrderWhateverTheFinishingOrder() {
    Set<String> threads = ConcurrentHashMap.newKeySet();
    List<String> out = GridFits.map(GRID, 3, c -> {
      threads.add(Thread.currentThread().getName());
      try {
        Thread.sleep((long) (40 / c)); // the smallest C finishes last
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return "C=" + c;
    });
    assertEquals(List.of("C=0.5", "C=0.25", "C=1.0", "C=0.125", "C=2.0"), out);
    assertTrue(threads.size() > 1, "fits ran concurrently: " + threads);
    assertEquals(GRID.stream().map(c -> "C=" + c).toList(), GridFits.map(GRID, 1, c -> "C=" + c));
  }

  @Test
  void aFailingFitFailsTheGridWithItsOwnException() {
    IllegalArgumentException boom = new IllegalArgumentException("diverged at C=1.0");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GridFits.map(GRID, 4, c -> {
      if (c == 1.0) {
        throw boom;
      }
      return c;
    }));
    assertSame(boom, e);
    assertThrows(IllegalArgumentException.class, () -> GridFits.map(GRID, 0, c -> c));
  }
}
