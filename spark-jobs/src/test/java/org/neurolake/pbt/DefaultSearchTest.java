package org.neurolake.pbt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.lfads.LfadsFamily;

/** PBT as the default for small training sets: the decision, and LFADS's default as shipped. */
class DefaultSearchTest {
  @TempDir Path home;

  @Test
  void pbtBelowTheThresholdWhenTheSpaceExistsOneRunOtherwiseEachSaidWhy() throws Exception {
    DefaultSearch d = new DefaultSearch(200, "conf/search/x-pbt.properties");
    Path space = d.spaceUnder(home);
    assertEquals(home.resolve("conf/search/x-pbt.properties"), space);

    DefaultSearch.Choice missing = d.choose(60, space);
    assertFalse(missing.pbt(), "no search space: the fixed configuration");
    assertTrue(missing.reason().contains("no search space at " + space), missing.reason());

    Files.createDirectories(space.getParent());
    Files.writeString(space, "model.keepProb = linear 0.5 1.0\n");
    DefaultSearch.Choice few = d.choose(60, space);
    assertTrue(few.pbt());
    assertEquals(space, few.space().get());
    assertTrue(few.reason().startsWith("search pbt") && few.reason().contains("60"), few.reason());
    assertTrue(d.choose(199, space).pbt(), "199 training examples are fewer than 200");

    DefaultSearch.Choice many = d.choose(200, space);
    assertFalse(many.pbt(), "200 training examples are not fewer than 200");
    assertTrue(many.reason().startsWith("search none") && many.reason().contains("200"), many.reason());
    assertFalse(d.choose(4000, space).pbt());

    assertThrows(IllegalArgumentException.class, () -> new DefaultSearch(0, "a"));
    assertThrows(IllegalArgumentException.class, () -> new DefaultSearch(10, " "));
  }

  @Test
  void lfadsSearchesRecordingsOfFewerThan200TrainingTrialsWithTheShippedSpace() {
    DefaultSearch d = new LfadsFamily().defaultSearch().orElseThrow();
    assertEquals(200, d.fewerThan());
    Path project = Path.of("..").toAbsolutePath().normalize();
    Path space = d.spaceUnder(project);
    assertTrue(Files.isRegularFile(space), space + " is shipped");
    // ex1 trains on 139 trials: PBT; the 1000-trial synthetic sets (about 650 training trials): one run.
    assertTrue(d.choose(139, space).pbt());
    assertFalse(d.choose(650, space).pbt());
  }
}
