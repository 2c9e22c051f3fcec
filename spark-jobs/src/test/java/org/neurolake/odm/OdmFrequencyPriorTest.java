package org.neurolake.odm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurolake.pipelines.odm.OdmTask;
import org.neurolake.pipelines.odm.OdmTasks;

class OdmFrequencyPriorTest {
  /** Characters of distinct frequencies (a 5, b 3, c 2, space 1 per 11): frequency analysis is the key. */
  @Test
  void thePriorFromCiphertextAndPlaintextSampleIsTheKeyWhenFrequenciesDiffer() {
    String text = "aaaaabbbcc ".repeat(20);
    OdmTask t = OdmTasks.cipher(text, text, 100, 11, 7);
    List<Integer> prior = OdmFamily.frequencyPrior(t);
    int k = t.nClasses();
    for (int row = 0; row < t.alphabetClasses().length; row++) {
      int column = -1;
      for (int c = 0; c < t.nIn(); c++) {
        if (t.alphabetFeatures()[row * t.nIn() + c] == 1f) {
          column = c;
        }
      }
      assertEquals(t.alphabetClasses()[row], prior.get(column), "cipher symbol " + column + " of " + k);
    }
  }
}
