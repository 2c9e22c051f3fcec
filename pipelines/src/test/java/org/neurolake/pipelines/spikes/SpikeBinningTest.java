package org.neurolake.pipelines.spikes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SpikeBinningTest {
  @Test
  void partialLastBinKeepsEverySpike() {
    assertEquals(40, SpikeBinning.nBins(400, 10));
    assertEquals(41, SpikeBinning.nBins(405, 10));
    assertEquals(1, SpikeBinning.nBins(3, 10));
  }

  @Test
  void rebinnedPerNeuronTotalsEqualRawCounts() {
    Random r = new Random(7);
    int nNeurons = 13;
    for (int nSource : new int[] {400, 403, 7}) {
      int[] raw = new int[nNeurons * nSource];
      for (int i = 0; i < raw.length; i++) {
        raw[i] = r.nextInt(10) < 2 ? 1 + r.nextInt(2) : 0;
      }
      int[] binned = SpikeBinning.rebin(raw, nNeurons, nSource, 1.0, 10.0);
      int nBins = SpikeBinning.nBins(nSource, 10.0);
      assertEquals(nNeurons * nBins, binned.length);
      for (int n = 0; n < nNeurons; n++) {
        long rawTotal = 0;
        long binTotal = 0;
        for (int t = 0; t < nSource; t++) {
          rawTotal += raw[n * nSource + t];
        }
        for (int b = 0; b < nBins; b++) {
          binTotal += binned[n * nBins + b];
        }
        assertEquals(rawTotal, binTotal, "neuron " + n);
      }
    }
  }

  @Test
  void rebinSumsConsecutiveSourceBins() {
    int[] raw = {1, 0, 2, 1, 1, /* neuron 1 */ 0, 0, 0, 3, 0};
    assertArrayEquals(new int[] {3, 2, 0, 3}, SpikeBinning.rebin(raw, 2, 5, 1.0, 3.0));
  }

  @Test
  void binWidthMustBeAWholeMultiple() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SpikeBinning.factor(1.0, 2.5));
    assertEquals("bin width 2.5 ms is not a whole multiple of the recording's 1.0 ms resolution", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SpikeBinning.nBins(10, 0));
  }

  @Test
  void binOfIsRobustToFloatingPointAtBinEdges() {
    assertEquals(3, SpikeBinning.binOf(0.3 * 100, 10));
    assertEquals(2, SpikeBinning.binOf(29.999, 10));
  }
}
