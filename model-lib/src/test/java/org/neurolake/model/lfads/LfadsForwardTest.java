package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurolake.model.api.Batch;

/** Forward prediction: the generator run past the encoders' input ({@link LfadsModel#infer} with forward bins). */
class LfadsForwardTest {
  private static final int OBSERVED = 6;
  private static final int FORWARD = 3;

  private static Batch observed() {
    SpikeShard full = LfadsTestData.randomShard(12, OBSERVED + FORWARD, 5, 7, 4);
    SpikeShard cut = full.firstBins(OBSERVED);
    assertEquals(OBSERVED, cut.nBins());
    assertEquals(full.count(3, OBSERVED - 1, 6), cut.count(3, OBSERVED - 1, 6));
    return cut.batch(0, cut.size());
  }

  @Test
  void forwardRatesAreFiniteAndTheObservedBinsUnchanged() {
    for (LfadsSpec spec : new LfadsSpec[] {LfadsModelTest.OFF, LfadsModelTest.ON}) {
      LfadsModel m = spec.build();
      Batch b = observed();
      for (int samples : new int[] {0, 2}) {
        LfadsOutput ahead = m.infer(b, samples, 9, FORWARD);
        LfadsOutput plain = m.infer(b, samples, 9);
        assertEquals(OBSERVED + FORWARD, ahead.rates()[0].length);
        assertEquals(OBSERVED + FORWARD, ahead.factors()[0].length);
        for (int r = 0; r < 12; r++) {
          for (int t = 0; t < OBSERVED; t++) {
            assertArrayEquals(plain.rates()[r][t], ahead.rates()[r][t], spec + " trial " + r + " bin " + t);
          }
          for (int t = OBSERVED; t < OBSERVED + FORWARD; t++) {
            for (float v : ahead.rates()[r][t]) {
              assertTrue(v > 0 && Float.isFinite(v), "forward rate " + v + " at trial " + r + " bin " + t);
            }
            for (float u : ahead.inputs()[r][t]) {
              assertEquals(0f, u, "no input is inferred past the data");
            }
          }
        }
      }
    }
  }

  /**
   * With the controller off the generator's only information about a trial is its initial condition:
   * trials with different observed spikes (so different g0) get different forward rates, and the
   * same g0 gives the same rates whatever the other trials of the batch.
   */
  @Test
  void forwardRatesDependOnTheInitialCondition() {
    LfadsModel m = LfadsModelTest.OFF.build();
    LfadsOutput o = m.infer(observed(), 0, 1, FORWARD);
    double diff = 0;
    for (int t = OBSERVED; t < OBSERVED + FORWARD; t++) {
      for (int j = 0; j < 7; j++) {
        diff = Math.max(diff, Math.abs(o.rates()[0][t][j] - o.rates()[1][t][j]));
      }
    }
    assertTrue(diff > 1e-4, "forward rates of trials 0 and 1 differ by at most " + diff);
    assertTrue(Math.abs(o.g0Mean()[0][0] - o.g0Mean()[1][0]) > 0);
    // Same trial alone: same forward rates (a trial's output depends on its own data only).
    SpikeShard one = LfadsTestData.randomShard(12, OBSERVED + FORWARD, 5, 7, 4).firstBins(OBSERVED);
    LfadsOutput alone = m.infer(one.batch(1, 1), 0, 1, FORWARD);
    for (int t = OBSERVED; t < OBSERVED + FORWARD; t++) {
      assertArrayEquals(o.rates()[1][t], alone.rates()[0][t], 1e-5f);
    }
  }

  /** The cost of a pass that runs ahead is the observed bins' cost: nothing past the data is scored. */
  @Test
  void costIgnoresTheStepsAhead() {
    for (LfadsSpec spec : new LfadsSpec[] {LfadsModelTest.OFF, LfadsModelTest.ON}) {
      LfadsModel m = spec.build();
      TrialBatch tb = TrialBatch.of(observed(), spec);
      CostTerms plain = m.forward(tb, PassMode.SAMPLE, 5);
      CostTerms ahead = m.forward(tb, PassMode.SAMPLE, 5, FORWARD);
      assertEquals(plain.total(), ahead.total(), 1e-9 * Math.abs(plain.total()), spec.toString());
      assertEquals(plain.klU(), ahead.klU(), 1e-9 * Math.max(1, Math.abs(plain.klU())));
    }
    assertThrows(IllegalArgumentException.class, () -> LfadsModelTest.OFF.build().infer(observed(), 0, 1, -1));
  }
}
