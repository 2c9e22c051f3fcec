package org.neurolake.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.quarantine.BadInputException;

/** Search-space files: ranges, pbt.* settings, and one clear line naming file and key when a line is wrong. */
class SearchSpaceTest {
  @TempDir Path dir;

  private Path file(String text) throws Exception {
    Path f = dir.resolve("space.properties");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void readsRangesAndSettings() throws Exception {
    SearchSpace.File f = SearchSpace.load(file("learning-rate = log 1e-3 3e-2\nmodel.keepProb = linear 0.6 1.0\n"
        + "pbt.population = 4\npbt.metric = co_bps\n"));
    assertEquals(new SearchSpace.Range("learning-rate", SearchSpace.Scale.LOG, 1e-3, 3e-2, false),
        f.space().ranges().get("learning-rate"));
    assertEquals(Map.of("population", "4", "metric", "co_bps"), f.settings());
    PbtConfig c = PbtConfig.builder().apply(f.settings()).build();
    assertEquals(4, c.population());
    assertEquals("valid", c.metricSplit());
  }

  @Test
  void aBadLineNamesFileAndKey() throws Exception {
    Path f = file("learning-rate = log 0 3e-2\n");
    BadInputException e = assertThrows(BadInputException.class, () -> SearchSpace.load(f));
    assertEquals(f + ": key learning-rate: a log range needs min > 0, got 0.0", e.getMessage());
    Path g = file("model.keepProb = uniform 0.5 1\n");
    e = assertThrows(BadInputException.class, () -> SearchSpace.load(g));
    assertTrue(e.getMessage().startsWith(g + ": key model.keepProb: the scale must be log or linear"), e.getMessage());
    Path h = file("workers = linear 1 4\n");
    e = assertThrows(BadInputException.class, () -> SearchSpace.load(h));
    assertTrue(e.getMessage().startsWith(h + ": key workers: 'workers' cannot be searched"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void theConfigRejectsAnExploitFractionThatReplacesNobody() {
    assertThrows(IllegalArgumentException.class, () -> PbtConfig.builder().population(3).exploitFraction(0.25)
        .metric("valid", "co_bps").build());
    assertThrows(IllegalArgumentException.class, () -> PbtConfig.builder().apply(Map.of("populaton", "4")));
  }
}
