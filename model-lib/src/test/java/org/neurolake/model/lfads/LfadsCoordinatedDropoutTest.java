package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.ModelSpecs;

/**
 * Coordinated dropout ({@link LfadsSpec#coordinatedDropout()}): its setting, that it acts in training
 * passes only, and that it keeps LFADS from the identity solution (passing a neuron's own spikes to
 * its own rate) on data where plain LFADS takes it. The gradient with it is checked in {@link
 * LfadsGradientTest}.
 */
class LfadsCoordinatedDropoutTest {
  private static final int NEURONS = 12;
  private static final int BINS = 16;

  /** Independent Poisson neurons with constant rates: no shared latent, nothing to infer from other neurons. */
  private record Noise(double[] rates, SpikeShard shard) {}

  private static Noise independentPoisson(int trials, long seed) {
    SplittableRandom rateRng = new SplittableRandom(7);
    double[] lambda = new double[NEURONS];
    for (int j = 0; j < NEURONS; j++) {
      lambda[j] = 0.5 + 1.5 * rateRng.nextDouble();
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[] counts = new float[trials * BINS * NEURONS];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = LfadsTestData.poisson(rng, lambda[i % NEURONS]);
    }
    return new Noise(lambda, new SpikeShard(counts, trials, BINS, NEURONS, NEURONS));
  }

  /** Minus the Poisson log-likelihood of the counts under the true rates, per trial (as the model's nll). */
  private static double trueRateNll(Noise d) {
    SpikeShard s = d.shard();
    double nll = 0;
    for (int i = 0; i < s.size(); i++) {
      for (int t = 0; t < BINS; t++) {
        for (int j = 0; j < NEURONS; j++) {
          double k = s.count(i, t, j);
          double lambda = d.rates()[j];
          nll -= k * Math.log(lambda) - lambda - LfadsGraph.logFactorial((float) k);
        }
      }
    }
    return nll / s.size();
  }

  /**
   * 40 training trials of 12 independent Poisson neurons (16 bins), a generator of 32 units and a
   * controller with lag 0 (its input at t includes the forward encoder after bin t: the shortest
   * path from a spike to its own bin's rate), 200 full-batch steps, the default KL and L2 ramps.
   * No model that does not see the counts it predicts can beat the true rates' NLL on average;
   * plain LFADS beats it by far on the training trials and on fresh trials of the same neurons,
   * i.e. it copies its input. With coordinated dropout 0.3 (same seed, same everything else) it
   * stays at the true rates' level on both.
   *
   * <p>Measured (nll per trial; true-rate nll 253.63 train, 255.39 fresh): plain 222.1 train,
   * 231.3 fresh; coordinated dropout 253.3 train, 256.4 fresh. About 7 s of CPU.
   */
  @Test
  void coordinatedDropoutPreventsTheIdentitySolutionThatPlainLfadsFinds() {
    int trials = 40;
    Noise train = independentPoisson(trials, 1);
    Noise fresh = independentPoisson(trials, 2);
    double trueTrain = trueRateNll(train);
    double trueFresh = trueRateNll(fresh);
    LfadsSpec plain = LfadsSpec.builder(NEURONS, NEURONS).icEncDim(32).g0Dim(16).genDim(32).factors(NEURONS)
        .keepProb(1.0).controller(16, 16, 4).controllerLag(0).learningRate(0.01).seed(5).build();
    double[] plainNll = trainAndEvaluate(plain, train, fresh);
    double[] cdNll = trainAndEvaluate(plain.toBuilder().coordinatedDropout(0.3).build(), train, fresh);
    String report = String.format("nll train/fresh: true %.2f/%.2f, plain %.2f/%.2f, coordinated dropout %.2f/%.2f",
        trueTrain, trueFresh, plainNll[0], plainNll[1], cdNll[0], cdNll[1]);
    System.out.println(report);
    assertTrue(plainNll[0] < trueTrain - 15 && plainNll[1] < trueFresh - 10, "plain LFADS should copy: " + report);
    assertTrue(cdNll[0] > trueTrain - 2 && cdNll[1] > trueFresh - 2, "coordinated dropout should not: " + report);
  }

  /** Trains 200 full-batch steps; the evaluation nll (all entries, no dropout) on the training and the fresh trials. */
  private static double[] trainAndEvaluate(LfadsSpec spec, Noise train, Noise fresh) {
    LfadsModel m = spec.build();
    int n = train.shard().size();
    for (int s = 0; s < 200; s++) {
      m.fit(train.shard().batch(0, n));
    }
    return new double[] {m.evaluate(train.shard().batch(0, n)).get("nll"),
        m.evaluate(fresh.shard().batch(0, fresh.shard().size())).get("nll")};
  }

  @Test
  void evaluationAndInferenceUseNoCoordinatedDropout() {
    LfadsSpec off = LfadsModelTest.ON;
    LfadsSpec on = off.toBuilder().coordinatedDropout(0.5).build();
    SpikeShard d = LfadsModelTest.data();
    LfadsModel trained = on.build();
    trained.fit(d.batch(0, 6));
    LfadsModel same = off.build();
    same.setParameters(trained.parameters());
    same.setStep(trained.step());
    Map<String, Double> want = same.evaluate(d.batch(0, 12));
    assertEquals(want, trained.evaluate(d.batch(0, 12)));
    LfadsOutput a = trained.infer(d.batch(0, 12), 3, 9);
    LfadsOutput b = same.infer(d.batch(0, 12), 3, 9);
    for (int i = 0; i < 12; i++) {
      for (int t = 0; t < a.rates()[i].length; t++) {
        assertArrayEquals(b.rates()[i][t], a.rates()[i][t]);
      }
    }
  }

  @Test
  void trainingPassesDropInputsAndCountOnlyTheDroppedOnesPerStepDeterministically() {
    LfadsSpec spec = LfadsModelTest.OFF.toBuilder().coordinatedDropout(0.4).build();
    PassNoise a = new PassNoise(spec, 6, 9, PassMode.TRAIN, 17);
    PassNoise again = new PassNoise(spec, 6, 9, PassMode.TRAIN, 17);
    PassNoise other = new PassNoise(spec, 6, 9, PassMode.TRAIN, 18);
    assertArrayEquals(a.maskCd, again.maskCd);
    assertArrayEquals(a.reconWeight, again.reconWeight);
    assertNotEquals(java.util.Arrays.toString(a.maskCd), java.util.Arrays.toString(other.maskCd));
    int nIn = spec.nIn();
    int nOut = spec.nOut();
    int dropped = 0;
    for (int row = 0; row < 6 * 9; row++) {
      for (int j = 0; j < nOut; j++) {
        float w = a.reconWeight[row * nOut + j];
        if (j >= nIn) {
          assertEquals(1f, w, "held-out neurons always count");
        } else {
          float m = a.maskCd[row * nIn + j];
          assertTrue(m == 0f || Math.abs(m - 1 / 0.6f) < 1e-6, "mask value " + m);
          assertEquals(m == 0f ? 1f : 0f, w, "counted exactly where dropped");
          dropped += m == 0f ? 1 : 0;
        }
      }
    }
    double fraction = dropped / (6.0 * 9 * nIn);
    assertTrue(Math.abs(fraction - 0.4) < 0.1, "dropped fraction " + fraction);
    for (PassMode mode : new PassMode[] {PassMode.SAMPLE, PassMode.MEAN}) {
      PassNoise p = new PassNoise(spec, 6, 9, mode, 17);
      assertTrue(p.maskCd == null && p.reconWeight == null, mode + " passes use every entry");
    }
    // Switching coordinated dropout on leaves the pass's other draws as they were.
    PassNoise plain = new PassNoise(LfadsModelTest.OFF, 6, 9, PassMode.TRAIN, 17);
    assertArrayEquals(plain.maskX, a.maskX);
    assertArrayEquals(plain.epsG0, a.epsG0);
  }

  @Test
  void theRateIsValidatedDefaultsToOffAndRoundTripsThroughJson() {
    assertEquals(0.0, LfadsModelTest.OFF.coordinatedDropout());
    for (double bad : new double[] {-0.1, 1.0, Double.NaN}) {
      var e = assertThrows(IllegalArgumentException.class,
          () -> LfadsModelTest.OFF.toBuilder().coordinatedDropout(bad).build());
      assertTrue(e.getMessage().contains("coordinatedDropout"), e.getMessage());
    }
    LfadsSpec on = LfadsModelTest.OFF.toBuilder().coordinatedDropout(0.25).build();
    assertEquals(on, ModelSpecs.fromJson(ModelSpecs.toJson(on)));
    String old = ModelSpecs.toJson(LfadsModelTest.OFF).replaceAll("\"coordinatedDropout\" : [0-9.]+,?", "");
    assertEquals(LfadsModelTest.OFF, ModelSpecs.fromJson(old), "a spec written before the field reads as off");
  }
}
