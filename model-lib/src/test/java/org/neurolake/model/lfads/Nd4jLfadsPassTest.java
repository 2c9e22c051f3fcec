package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurolake.model.api.ComputePath;

/**
 * The ND4J path ({@link Nd4jLfadsPass}, {@code compute = nd4j}) against the fused CPU path
 * ({@link LfadsGraph}, {@code compute = fused-cpu}) on the same batch, parameters and noise (both
 * draw their masks and posterior noise from one {@link PassNoise}): every cost term to 1e-5
 * relative, every gradient element to {@value #GRADIENT_TOLERANCE} of the largest |gradient| in its
 * parameter block (float rounding in a different summation order; the worst seen is 1.1e-6), and
 * the parameters after three Adam steps to {@value #PARAMETER_TOLERANCE} of the largest |parameter
 * change| in their block (the worst seen, 2e-5, is one float ulp of the parameter). The configurations cover the generator-only model and the controller,
 * with and without dropout and coordinated dropout, with all three cost weights on.
 */
class Nd4jLfadsPassTest {
  static final double GRADIENT_TOLERANCE = 1e-5;
  static final double PARAMETER_TOLERANCE = 1e-3;

  static LfadsSpec spec(boolean controller, double keepProb, double coordinatedDropout, ComputePath compute) {
    LfadsSpec.Builder b = LfadsSpec.builder(4, 6).icEncDim(5).g0Dim(4).genDim(6).factors(3).keepProb(keepProb)
        .coordinatedDropout(coordinatedDropout).klRamp(0, 0).l2Ramp(0, 0).l2Scales(50.0, 30.0).g0Prior(0.1, 1e-3)
        .seed(11).compute(compute);
    if (controller) {
      b.controller(4, 5, 2).controllerLag(1);
    }
    return b.build();
  }

  /** Both paths at the same perturbed parameters (so no block sits at a special point). */
  private static LfadsModel[] pair(boolean controller, double keepProb, double coordinatedDropout) {
    LfadsModel fused = spec(controller, keepProb, coordinatedDropout, ComputePath.FUSED_CPU).build();
    LfadsModel nd4j = spec(controller, keepProb, coordinatedDropout, ComputePath.ND4J).build();
    assertEquals(ComputePath.FUSED_CPU, fused.compute());
    assertEquals(ComputePath.ND4J, nd4j.compute());
    float[] theta = fused.parameters();
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < theta.length; i++) {
      theta[i] += (float) (0.1 * rng.nextGaussian());
    }
    fused.setParameters(theta);
    nd4j.setParameters(theta);
    return new LfadsModel[] {fused, nd4j};
  }

  @ParameterizedTest(name = "controller={0} keepProb={1} coordinatedDropout={2}")
  @CsvSource({"false, 1.0, 0", "true, 1.0, 0", "false, 0.8, 0", "true, 0.8, 0", "false, 0.8, 0.3", "true, 0.8, 0.3"})
  void sameBatchAndNoiseGiveTheSameCostTermsAndGradients(boolean controller, double keepProb,
      double coordinatedDropout) {
    LfadsModel[] m = pair(controller, keepProb, coordinatedDropout);
    LfadsSpec spec = m[0].spec();
    SpikeShard data = LfadsTestData.randomShard(3, 7, spec.nIn(), spec.nOut(), 5);
    TrialBatch tb = TrialBatch.of(LfadsTestData.batch(data), spec);
    PassMode mode = keepProb < 1 || coordinatedDropout > 0 ? PassMode.TRAIN : PassMode.SAMPLE;
    CostTerms want = m[0].costAndGradient(tb, mode, 1234);
    CostTerms got = m[1].costAndGradient(tb, mode, 1234);
    List<String> failures = new ArrayList<>();
    double[][] terms = {{want.total(), got.total()}, {want.nll(), got.nll()}, {want.klG0(), got.klG0()},
        {want.klU(), got.klU()}, {want.l2(), got.l2()}};
    String[] names = {"total", "nll", "kl_g0", "kl_u", "l2"};
    for (int i = 0; i < terms.length; i++) {
      if (Math.abs(terms[i][0] - terms[i][1]) > 1e-5 * Math.abs(terms[i][0]) + 1e-7) {
        failures.add(names[i] + ": fused " + terms[i][0] + ", nd4j " + terms[i][1]);
      }
    }
    assertTrue(want.klG0() > 0 && want.l2() > 0 && (!controller || want.klU() != 0), "every term is exercised: " + want);
    failures.addAll(compareByBlock("gradient", m[0].layout(), m[0].gradient(), m[1].gradient(), null,
        GRADIENT_TOLERANCE));
    assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n"
        + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
  }

  @ParameterizedTest(name = "controller={0}")
  @CsvSource({"false", "true"})
  void threeAdamStepsGiveTheSameParameters(boolean controller) {
    LfadsModel[] m = pair(controller, 0.8, 0.3);
    LfadsSpec spec = m[0].spec();
    SpikeShard data = LfadsTestData.randomShard(8, 7, spec.nIn(), spec.nOut(), 9);
    float[] start = m[0].parameters();
    for (int s = 0; s < 3; s++) {
      double a = m[0].fit(data.batch((s * 3) % 6, 3));
      double b = m[1].fit(data.batch((s * 3) % 6, 3));
      assertEquals(a, b, 1e-5 * Math.abs(a), "loss of step " + s);
    }
    List<String> failures = compareByBlock("parameter", m[0].layout(), m[0].parameters(), m[1].parameters(), start,
        PARAMETER_TOLERANCE);
    float[] sa = m[0].optimizerState();
    float[] sb = m[1].optimizerState();
    assertEquals(sa.length, sb.length);
    assertTrue(failures.isEmpty(), failures.size() + " mismatches:\n"
        + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
    assertEquals(m[0].step(), m[1].step());
  }

  /**
   * Element-wise comparison per parameter block, relative to the block's largest |want| (or, with
   * {@code start}, the largest |want - start|: the change since the start).
   */
  static List<String> compareByBlock(String what, ParameterLayout layout, float[] want, float[] got, float[] start,
      double tolerance) {
    List<String> failures = new ArrayList<>();
    for (ParameterLayout.Block b : layout.blocks()) {
      double largest = 0;
      for (int k = b.offset(); k < b.offset() + b.size(); k++) {
        largest = Math.max(largest, Math.abs(want[k] - (start == null ? 0 : start[k])));
      }
      for (int k = b.offset(); k < b.offset() + b.size(); k++) {
        if (!(Math.abs(want[k] - got[k]) <= tolerance * largest + 1e-9)) {
          failures.add(what + " " + b.name() + "[" + (k - b.offset()) + "]: fused " + want[k] + ", nd4j " + got[k]
              + " (largest in block " + largest + ")");
        }
      }
    }
    return failures;
  }

  /**
   * A tiny model trains end to end through the ND4J path (the loss falls), and training resumed from
   * a saved state (parameters, optimizer state, step: what a checkpoint holds) in a new model is the
   * uninterrupted training, exactly.
   */
  @Test
  void aTinyModelTrainsThroughTheNd4jPathAndResumesExactly() {
    LfadsSpec spec = spec(true, 0.9, 0.2, ComputePath.ND4J).toBuilder().klRamp(0, 20).l2Ramp(0, 20)
        .learningRate(0.02).build();
    SpikeShard data = LfadsTestData.randomShard(12, 8, spec.nIn(), spec.nOut(), 21);
    LfadsModel straight = spec.build();
    assertEquals(ComputePath.ND4J, straight.compute());
    double first = straight.evaluate(LfadsTestData.batch(data)).get("nll");
    int steps = 24;
    int resumeAt = 16;
    LfadsModel resumed = null;
    for (int s = 0; s < steps; s++) {
      if (s == resumeAt) {
        resumed = spec.build();
        resumed.setParameters(straight.parameters());
        resumed.setOptimizerState(straight.optimizerState());
        resumed.setStep(straight.step());
      }
      straight.fit(data.batch((s * 4) % 12, 4));
      if (resumed != null) {
        resumed.fit(data.batch((s * 4) % 12, 4));
      }
    }
    double last = straight.evaluate(LfadsTestData.batch(data)).get("nll");
    assertTrue(last < 0.97 * first, "training through the ND4J path lowers the NLL: " + first + " -> " + last);
    assertArrayEquals(straight.parameters(), resumed.parameters(), "resumed parameters = uninterrupted ones");
    assertArrayEquals(straight.optimizerState(), resumed.optimizerState(), "resumed Adam state = uninterrupted one");
    assertEquals(straight.evaluate(LfadsTestData.batch(data)), resumed.evaluate(LfadsTestData.batch(data)));
  }

  /**
   * Evaluation (its metrics) and posterior sample-and-average with forward prediction (rates,
   * factors, inferred inputs, g0 means) give the same results on both paths, to float rounding
   * (1e-4 relative: the metrics are sums over thousands of float terms).
   */
  @ParameterizedTest(name = "controller={0}")
  @CsvSource({"false", "true"})
  void evaluationAndInferenceWithForwardPredictionAgree(boolean controller) {
    LfadsModel[] m = pair(controller, 0.8, 0.3);
    LfadsSpec spec = m[0].spec();
    SpikeShard data = LfadsTestData.randomShard(5, 7, spec.nIn(), spec.nOut(), 13);
    java.util.Map<String, Double> want = m[0].evaluate(LfadsTestData.batch(data));
    java.util.Map<String, Double> got = m[1].evaluate(LfadsTestData.batch(data));
    assertEquals(want.keySet(), got.keySet());
    for (String k : want.keySet()) {
      assertEquals(want.get(k), got.get(k), 1e-4 * Math.abs(want.get(k)) + 1e-6, k);
    }
    for (int samples : new int[] {0, 2}) {
      LfadsOutput a = m[0].infer(LfadsTestData.batch(data), samples, 77, 3);
      LfadsOutput b = m[1].infer(LfadsTestData.batch(data), samples, 77, 3);
      assertClose("rates", a.rates(), b.rates());
      assertClose("factors", a.factors(), b.factors());
      assertClose("inputs", a.inputs(), b.inputs());
      assertClose("g0", new float[][][] {a.g0Mean()}, new float[][][] {b.g0Mean()});
    }
  }

  private static void assertClose(String what, float[][][] want, float[][][] got) {
    double largest = 0;
    for (float[][] x : want) {
      for (float[] y : x) {
        for (float v : y) {
          largest = Math.max(largest, Math.abs(v));
        }
      }
    }
    for (int i = 0; i < want.length; i++) {
      for (int j = 0; j < want[i].length; j++) {
        for (int k = 0; k < want[i][j].length; k++) {
          assertEquals(want[i][j][k], got[i][j][k], 1e-5 * largest + 1e-7, what + "[" + i + "][" + j + "][" + k + "]");
        }
      }
    }
  }
}
