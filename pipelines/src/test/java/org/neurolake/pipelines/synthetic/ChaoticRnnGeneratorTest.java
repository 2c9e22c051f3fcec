package org.neurolake.pipelines.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChaoticRnnGeneratorTest {
  private final ChaoticRnnConfig chaotic = ChaoticRnnConfig.paper(ChaoticRnnConfig.Variant.CHAOTIC, 4, 3,
      ChaoticRnnConfig.DEFAULT_SEED);

  @Test
  void paperSettings() {
    assertEquals(50, chaotic.nNeurons());
    assertEquals(100, chaotic.nSteps());
    assertEquals(1.5, chaotic.g());
    ChaoticRnnConfig pulse = ChaoticRnnConfig.paper(ChaoticRnnConfig.Variant.INPUT_PULSE, 1, 1, 5);
    assertEquals(2.5, pulse.g());
    assertEquals(20.0, pulse.inputMagnitude());
  }

  @Test
  void deterministicPerConditionWhateverTheOrder() {
    List<ChaoticRnnGenerator.Trial> a = new ChaoticRnnGenerator(chaotic).condition(2);
    ChaoticRnnGenerator other = new ChaoticRnnGenerator(chaotic);
    other.condition(0);
    List<ChaoticRnnGenerator.Trial> b = other.condition(2);
    for (int r = 0; r < 3; r++) {
      assertArrayEquals(a.get(r).spikes().counts(), b.get(r).spikes().counts());
      assertEquals(2 * 3 + r, a.get(r).spikes().trial());
      assertEquals("2", a.get(r).spikes().condition());
    }
  }

  @Test
  void ratesAreMinMaxNormalizedPerNeuronAndTrialTo30Hz() {
    ChaoticRnnGenerator.Trial t = new ChaoticRnnGenerator(chaotic).condition(1).get(0);
    int steps = chaotic.nSteps();
    for (int n = 0; n < 50; n++) {
      double lo = Double.MAX_VALUE;
      double hi = -Double.MAX_VALUE;
      for (int s = 0; s < steps; s++) {
        lo = Math.min(lo, t.ratesHz()[n * steps + s]);
        hi = Math.max(hi, t.ratesHz()[n * steps + s]);
      }
      assertEquals(0.0, lo, 1e-12);
      assertEquals(30.0, hi, 1e-9);
    }
    assertNull(t.inputBin());
  }

  @Test
  void chaosScoreSeparatesChaoticFromSettledNetworks() {
    assertTrue(new ChaoticRnnGenerator(chaotic).chaosScore() > ChaoticRnnGenerator.MIN_CHAOS_SCORE);
    // Seed 5 happens to draw a network that settles to a fixed point within the trial.
    ChaoticRnnConfig settled = ChaoticRnnConfig.paper(ChaoticRnnConfig.Variant.CHAOTIC, 4, 3, 5);
    assertTrue(new ChaoticRnnGenerator(settled).chaosScore() < ChaoticRnnGenerator.MIN_CHAOS_SCORE);
  }

  @Test
  void replicationsShareRatesButNotSpikes() {
    List<ChaoticRnnGenerator.Trial> reps = new ChaoticRnnGenerator(chaotic).condition(0);
    assertArrayEquals(reps.get(0).ratesHz(), reps.get(1).ratesHz());
    assertNotEquals(java.util.Arrays.toString(reps.get(0).spikes().counts()),
        java.util.Arrays.toString(reps.get(1).spikes().counts()));
  }

  @Test
  void dynamicsAreChaoticNotDecayed() {
    // With g = 1.5 the activity keeps fluctuating: late-trial latents still vary strongly.
    ChaoticRnnGenerator.Trial t = new ChaoticRnnGenerator(chaotic).condition(3).get(0);
    int steps = chaotic.nSteps();
    double var = 0;
    for (int n = 0; n < 50; n++) {
      double m = 0;
      for (int s = 80; s < 100; s++) {
        m += t.latents()[n * steps + s] / 20;
      }
      for (int s = 80; s < 100; s++) {
        var += Math.pow(t.latents()[n * steps + s] - m, 2) / (20 * 50);
      }
    }
    assertTrue(var > 0.01, "late-trial latent variance " + var);
  }

  @Test
  void spikeCountsMatchRates() {
    ChaoticRnnConfig big = ChaoticRnnConfig.paper(ChaoticRnnConfig.Variant.CHAOTIC, 20, 5, 11);
    ChaoticRnnGenerator g = new ChaoticRnnGenerator(big);
    double expected = 0;
    long spikes = 0;
    for (int c = 0; c < 20; c++) {
      for (ChaoticRnnGenerator.Trial t : g.condition(c)) {
        for (double r : t.ratesHz()) {
          expected += r * 0.010;
        }
        spikes += t.spikes().total();
      }
    }
    assertEquals(1.0, spikes / expected, 0.02);
  }

  @Test
  void inputPulseLandsInTheMiddleHalfAndPerturbsTheTrajectory() {
    ChaoticRnnConfig pulse = ChaoticRnnConfig.paper(ChaoticRnnConfig.Variant.INPUT_PULSE, 3, 4, 5);
    List<ChaoticRnnGenerator.Trial> reps = new ChaoticRnnGenerator(pulse).condition(1);
    for (ChaoticRnnGenerator.Trial t : reps) {
      assertTrue(t.inputBin() >= 25 && t.inputBin() < 75, "pulse at " + t.inputBin());
    }
    // Trials of one condition share x0 and W: they agree up to the earlier pulse, then diverge.
    ChaoticRnnGenerator.Trial a = reps.get(0);
    ChaoticRnnGenerator.Trial b = reps.get(1);
    int first = Math.min(a.inputBin(), b.inputBin());
    int steps = pulse.nSteps();
    for (int n = 0; n < 50; n++) {
      for (int s = 0; s < first; s++) {
        assertEquals(a.latents()[n * steps + s], b.latents()[n * steps + s], 0.0);
      }
    }
    if (a.inputBin().intValue() != b.inputBin().intValue()) {
      double diff = 0;
      for (int n = 0; n < 50; n++) {
        diff += Math.abs(a.latents()[n * steps + first] - b.latents()[n * steps + first]);
      }
      assertTrue(diff > 1.0, "the pulse moves the state: " + diff);
    }
  }

  @Test
  void poissonSamplerHasTheRightMoments() {
    SplittableRandom rng = new SplittableRandom(3);
    for (double mean : new double[] {0.3, 4.0, 55.0}) {
      int n = 200_000;
      double s = 0;
      double s2 = 0;
      for (int i = 0; i < n; i++) {
        int k = Poisson.sample(rng, mean);
        s += k;
        s2 += (double) k * k;
      }
      double m = s / n;
      double v = s2 / n - m * m;
      assertEquals(mean, m, 0.02 * mean + 0.005);
      assertEquals(mean, v, 0.04 * mean + 0.01);
    }
  }
}
