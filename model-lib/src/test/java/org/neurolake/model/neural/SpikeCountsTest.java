package org.neurolake.model.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpikeCountsTest {
  // spike_trials layout: neuron-major, counts[neuron * nBins + bin]; 2 neurons x 3 bins.
  static final int[] TRIAL0 = {1, 2, 3, 4, 5, 6};
  static final int[] TRIAL1 = {0, 0, 7, 0, 1, 0};

  @Test
  void neuronMajorTrialsBecomeTimeMajor() {
    SpikeCounts c = SpikeCounts.fromNeuronMajor(List.of(TRIAL0, TRIAL1), 2, 3, 10.0);
    assertEquals(3.0, c.count(0, 2, 0), 0); // neuron 0, bin 2 of trial 0
    assertEquals(4.0, c.count(0, 0, 1), 0); // neuron 1, bin 0
    assertEquals(7.0, c.count(1, 2, 0), 0);
    assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6, 0, 0, 0, 1, 7, 0}, c.counts(), 0);
    assertEquals(29.0, c.totalSpikes(), 0);
    assertArrayEquals(new double[] {13, 16}, c.neuronTotals(), 0);
  }

  @Test
  void selectAndNeuronsPickInTheGivenOrder() {
    SpikeCounts c = SpikeCounts.fromNeuronMajor(List.of(TRIAL0, TRIAL1), 2, 3, 10.0);
    SpikeCounts t = c.select(new int[] {1});
    assertEquals(1, t.trials());
    assertEquals(7.0, t.count(0, 2, 0), 0);
    SpikeCounts n = c.neurons(new int[] {1, 0});
    assertEquals(5.0, n.count(0, 1, 0), 0);
    assertEquals(2.0, n.count(0, 1, 1), 0);
    assertEquals(0, c.neurons(new int[0]).neurons());
    assertThrows(IllegalArgumentException.class, () -> c.select(new int[] {2}));
    assertThrows(IllegalArgumentException.class, () -> c.neurons(new int[] {-1}));
  }

  @Test
  void isImmutableAndValidated() {
    double[] raw = {1, 2};
    SpikeCounts c = new SpikeCounts(1, 2, 1, 10.0, raw);
    raw[0] = 9;
    c.counts()[1] = 9;
    assertArrayEquals(new double[] {1, 2}, c.counts(), 0);
    assertThrows(IllegalArgumentException.class, () -> new SpikeCounts(1, 2, 1, 10.0, new double[] {1, 0.5}));
    assertThrows(IllegalArgumentException.class, () -> new SpikeCounts(1, 2, 1, 10.0, new double[] {1, -1}));
    assertThrows(IllegalArgumentException.class, () -> new SpikeCounts(1, 2, 2, 10.0, new double[] {1, 1}));
    assertThrows(IllegalArgumentException.class,
        () -> SpikeCounts.fromNeuronMajor(List.of(new int[5]), 2, 3, 10.0));
  }

  @Test
  void ratesInHzConvertToSpikesPerBin() {
    // 2 neurons x 2 bins at 10 ms: 30 Hz is 0.3 spikes per bin.
    Rates r = Rates.fromHzNeuronMajor(List.of(new double[] {30, 10, 0, 20}), 2, 2, 10.0);
    assertEquals(0.3, r.rate(0, 0, 0), 1e-15);
    assertEquals(0.1, r.rate(0, 1, 0), 1e-15);
    assertEquals(0.2, r.rate(0, 1, 1), 1e-15);
    assertEquals(20.0, r.rateHz(0, 1, 1), 1e-12);
  }

  @Test
  void neuronSplitsMustPartitionTheNeurons() {
    assertThrows(IllegalArgumentException.class, () -> new NeuronSplit(3, new int[] {0, 1}, new int[] {1}));
    assertEquals(0, NeuronSplit.allHeldIn(4).heldOut().length);
  }
}
