package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.api.TrainableModel;

class LfadsModelTest {
  static final LfadsSpec OFF = LfadsSpec.builder(5, 7).icEncDim(6).g0Dim(4).genDim(8).factors(3).seed(1).build();
  static final LfadsSpec ON = OFF.toBuilder().controller(5, 6, 2).controllerLag(2).build();

  static SpikeShard data() {
    return LfadsTestData.randomShard(12, 9, 5, 7, 4);
  }

  @Test
  void specRoundTripsThroughJson() {
    for (LfadsSpec spec : new LfadsSpec[] {OFF, ON}) {
      String json = ModelSpecs.toJson(spec);
      assertTrue(json.contains("\"kind\" : \"LFADS\""), json);
      ModelSpec back = ModelSpecs.fromJson(json);
      assertEquals(spec, back);
      assertEquals(LfadsSpecType.KIND, ModelSpecs.kindOf(back));
      assertTrue(back.build() instanceof LfadsModel);
    }
  }

  @Test
  void specRefusesBadSettingsNamingThem() {
    var e = assertThrows(IllegalArgumentException.class, () -> OFF.toBuilder().controller(4, 0, 2).build());
    assertTrue(e.getMessage().contains("controller"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LfadsSpec.builder(5, 4).build());
    assertTrue(e.getMessage().contains("nOut"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> OFF.toBuilder().keepProb(0).build());
    assertTrue(e.getMessage().contains("keepProb"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OFF.toBuilder().klRamp(-1, 5).build());
    assertThrows(IllegalArgumentException.class, () -> OFF.toBuilder().adam(0.9, 1.0, 0.1).build());
    assertThrows(IllegalArgumentException.class, () -> OFF.toBuilder().g0Prior(0, 1e-4).build());
  }

  @Test
  void rampsRiseLinearlyFromTheirStart() {
    LfadsSpec s = OFF.toBuilder().klRamp(10, 20).l2Ramp(0, 0).build();
    assertEquals(0.0, s.klWeight(5));
    assertEquals(0.0, s.klWeight(10));
    assertEquals(0.5, s.klWeight(20), 1e-12);
    assertEquals(1.0, s.klWeight(30));
    assertEquals(1.0, s.klWeight(1000));
    assertEquals(1.0, s.l2Weight(0));
  }

  @Test
  void klScaleMultipliesTheRampedWeightDefaultsToOneAndReadsAsOneFromOldSpecs() {
    LfadsSpec s = OFF.toBuilder().klRamp(10, 20).klScale(0.25).build();
    assertEquals(0.0, s.klWeight(10));
    assertEquals(0.125, s.klWeight(20), 1e-12);
    assertEquals(0.25, s.klWeight(1000), 1e-12);
    assertEquals(1.0, OFF.klScale());
    assertEquals(s, ModelSpecs.fromJson(ModelSpecs.toJson(s)));
    String old = ModelSpecs.toJson(OFF).replaceAll("\"klScale\" : [0-9.]+,?", "");
    assertFalse(old.contains("klScale"), old);
    assertEquals(OFF, ModelSpecs.fromJson(old), "a spec written before the field has the full KL weight");
    for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
      var e = assertThrows(IllegalArgumentException.class, () -> OFF.toBuilder().klScale(bad).build());
      assertTrue(e.getMessage().contains("klScale"), e.getMessage());
    }
  }

  @Test
  void parameterCountsAgree() {
    for (LfadsSpec spec : new LfadsSpec[] {OFF, ON}) {
      LfadsModel m = spec.build();
      int fromBlocks = m.layout().blocks().stream().mapToInt(ParameterLayout.Block::size).sum();
      assertEquals(spec.parameterCount(), m.parameterCount());
      assertEquals(fromBlocks, m.parameterCount());
      assertEquals(m.parameterCount(), m.parameters().length);
      assertEquals(2 * m.parameterCount(), m.optimizerState().length);
    }
    assertTrue(ON.parameterCount() > OFF.parameterCount());
    // ic encoders 2 x (5*18 + 6*12 + 12 + 36 + 6 + 6), g0 post 12*8 + 8, prior 8, g0->gen 4*8 + 8,
    // gen (no inputs) 8*16 + 16 + 64 + 8, factors 8*3, readout 3*7 + 7.
    assertEquals(2 * (90 + 72 + 12 + 36 + 6 + 6) + 104 + 8 + 40 + 216 + 24 + 28, OFF.parameterCount());
  }

  @Test
  void parametersAndOptimizerStateRoundTrip() {
    SpikeShard d = data();
    LfadsModel a = ON.build();
    for (int s = 0; s < 3; s++) {
      a.fit(d.batch(s * 4, 4));
    }
    float[] state = a.optimizerState();
    assertTrue(hasNonZero(state), "Adam moments after 3 steps");
    LfadsModel b = ON.toBuilder().seed(77).build().build();
    assertFalse(Arrays.equals(a.parameters(), b.parameters()));
    b.setParameters(a.parameters());
    b.setOptimizerState(state);
    b.setStep(a.step());
    assertArrayEquals(a.parameters(), b.parameters());
    assertArrayEquals(state, b.optimizerState());
    assertEquals(3, b.step());
    assertThrows(IllegalArgumentException.class, () -> b.setParameters(new float[3]));
    assertThrows(IllegalArgumentException.class, () -> b.setOptimizerState(new float[(int) b.parameterCount()]));
    assertThrows(IllegalArgumentException.class, () -> b.setStep(-1));
  }

  @Test
  void sameStateAndBatchesGiveTheSameResult() {
    for (LfadsSpec spec : new LfadsSpec[] {OFF, ON}) {
      SpikeShard d = data();
      TrainableModel a = spec.build();
      for (int s = 0; s < 4; s++) {
        a.fit(d.batch(s * 4, 4));
      }
      TrainableModel b = spec.toBuilder().build().build();
      b.setParameters(a.parameters());
      b.setOptimizerState(a.optimizerState());
      b.setStep(a.step());
      a.setLearningRate(0.005);
      b.setLearningRate(0.005);
      for (int s = 4; s < 8; s++) {
        Batch batch = d.batch(s * 4, 4);
        assertEquals(a.fit(batch), b.fit(batch));
      }
      assertArrayEquals(a.parameters(), b.parameters());
      assertArrayEquals(a.optimizerState(), b.optimizerState());
      assertEquals(a.evaluate(d.batch(0, 12)), b.evaluate(d.batch(0, 12)));
    }
  }

  @Test
  void modelsTrainedInConcurrentThreadsMatchSequentialOnes() throws Exception {
    SpikeShard d = LfadsTestData.randomShard(64, 20, 5, 7, 9);
    LfadsSpec spec = ON.toBuilder().icEncDim(32).genDim(32).controller(16, 16, 2).build();
    int models = 4;
    float[][] sequential = new float[models][];
    for (int i = 0; i < models; i++) {
      sequential[i] = train(spec, d, i);
    }
    float[][] concurrent = new float[models][];
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(models);
    try {
      List<java.util.concurrent.Future<float[]>> futures = new java.util.ArrayList<>();
      for (int i = 0; i < models; i++) {
        int worker = i;
        futures.add(pool.submit(() -> train(spec, d, worker)));
      }
      for (int i = 0; i < models; i++) {
        concurrent[i] = futures.get(i).get();
      }
    } finally {
      pool.shutdown();
    }
    for (int i = 0; i < models; i++) {
      assertArrayEquals(sequential[i], concurrent[i], "model " + i);
    }
  }

  private static float[] train(LfadsSpec spec, SpikeShard d, int worker) {
    LfadsModel m = spec.build();
    for (int s = 0; s < 6; s++) {
      m.fit(d.batch(worker * 16 + s * 8, 16));
    }
    return m.parameters();
  }

  @Test
  void stepsUseDifferentNoise() {
    SpikeShard d = data();
    LfadsModel a = OFF.build();
    LfadsModel b = OFF.build();
    b.setStep(5);
    assertNotEquals(a.fit(d.batch(0, 4)), b.fit(d.batch(0, 4)));
  }

  @Test
  void evaluateReportsTheTermsAndChangesNothing() {
    SpikeShard d = data();
    LfadsModel m = ON.build();
    m.fit(d.batch(0, 6));
    float[] before = m.parameters();
    Map<String, Double> r = m.evaluate(d.batch(0, 12));
    assertArrayEquals(before, m.parameters());
    assertEquals(1, m.step());
    for (String k : new String[] {"loss", "nll", "kl_g0", "kl_u", "l2", "neg_elbo", "kl_weight", "l2_weight",
        "bits_per_spike", "bits_per_spike_heldin", "co_bps"}) {
      assertTrue(r.containsKey(k) && Double.isFinite(r.get(k)), k + " in " + r);
    }
    assertEquals(r.get("nll") + r.get("kl_g0") + r.get("kl_u"), r.get("neg_elbo"), 1e-9);
    assertEquals(r.get("nll") + r.get("kl_weight") * (r.get("kl_g0") + r.get("kl_u"))
        + r.get("l2_weight") * r.get("l2"), r.get("loss"), 1e-6 * Math.abs(r.get("loss")));
    assertTrue(r.get("kl_g0") > 0, "KL(g0) of a Gaussian posterior vs prior");
    assertEquals(r, m.evaluate(d.batch(0, 12)));
  }

  @Test
  void inferHasTheDocumentedShapes() {
    SpikeShard d = data();
    for (LfadsSpec spec : new LfadsSpec[] {OFF, ON}) {
      LfadsModel m = spec.build();
      Batch batch = d.batch(2, 5);
      LfadsOutput o = m.infer(batch, 3, 42);
      assertEquals(5, o.rates().length);
      assertEquals(9, o.rates()[0].length);
      assertEquals(7, o.rates()[0][0].length);
      assertEquals(3, o.factors()[4][8].length);
      assertEquals(spec.inputDim(), o.inputs()[0][0].length);
      assertEquals(9, o.inputs()[0].length);
      assertEquals(4, o.g0Mean()[4].length);
      assertTrue(o.rates()[1][3][6] > 0);
      LfadsOutput again = m.infer(batch, 3, 42);
      assertArrayEquals(o.rates()[2][5], again.rates()[2][5]);
      LfadsOutput means = m.infer(batch, 0, 0);
      assertArrayEquals(o.g0Mean()[3], means.g0Mean()[3]);
      assertFalse(Arrays.equals(o.rates()[2][5], means.rates()[2][5]));
      // A trial's output does not depend on the other trials of its batch.
      LfadsOutput single = m.infer(d.batch(3, 1), 0, 0);
      assertArrayEquals(means.rates()[1][4], single.rates()[0][4], 1e-5f);
    }
  }

  @Test
  void largeBatchesAreProcessedInExactChunks() {
    int n = LfadsModel.CHUNK + 5;
    SpikeShard d = LfadsTestData.randomShard(n, 6, 5, 7, 8);
    LfadsModel m = ON.build();
    LfadsOutput whole = m.infer(d.batch(0, n), 0, 0);
    LfadsOutput last = m.infer(d.batch(n - 2, 2), 0, 0);
    assertArrayEquals(last.rates()[1][5], whole.rates()[n - 1][5], 1e-5f);
    assertArrayEquals(last.inputs()[0][3], whole.inputs()[n - 2][3], 1e-5f);
    Map<String, Double> r = m.evaluate(d.batch(0, n));
    assertTrue(Double.isFinite(r.get("loss")) && Double.isFinite(r.get("co_bps")), r.toString());
    // Training on a small batch after a large evaluation reuses the grown buffers correctly.
    LfadsModel fresh = ON.build();
    Batch small = d.batch(0, 4);
    double expected = fresh.fit(small);
    m.setParameters(ON.build().parameters());
    assertEquals(expected, m.fit(small));
  }

  @Test
  void theControllerInfersNonZeroInputs() {
    SpikeShard d = data();
    LfadsModel on = ON.build();
    LfadsOutput o = on.infer(d.batch(0, 4), 0, 0);
    float[][] u = o.inputs()[0];
    assertTrue(Arrays.stream(u).anyMatch(row -> row[0] != 0f), "inferred inputs are all zero");
  }

  @Test
  void factorWeightsHaveUnitNormPerFactor() {
    LfadsModel m = ON.build();
    SpikeShard d = data();
    for (int s = 0; s < 5; s++) {
      m.fit(d.batch(s, 6));
    }
    float[][] w = m.normalizedFactorWeights();
    assertEquals(ON.genDim(), w.length);
    for (int j = 0; j < ON.factors(); j++) {
      double sq = 0;
      for (float[] row : w) {
        sq += row[j] * row[j];
      }
      assertEquals(1.0, sq, 1e-5, "factor " + j);
    }
  }

  @Test
  void badBatchesAreRefused() {
    LfadsModel m = OFF.build();
    Batch wrongWidth = new Batch(Nd4j.zeros(2, 9, 4), Nd4j.zeros(2, 9, 7));
    var e = assertThrows(IllegalArgumentException.class, () -> m.fit(wrongWidth));
    assertTrue(e.getMessage().contains("features"), e.getMessage());
    Batch masked = new Batch(Nd4j.zeros(2, 9, 5), Nd4j.zeros(2, 9, 7), Nd4j.ones(2, 9), null);
    assertThrows(IllegalArgumentException.class, () -> m.evaluate(masked));
    assertThrows(IllegalArgumentException.class, () -> m.infer(data().batch(0, 2), -1, 0));
  }

  @Test
  void aDivergingStepThrowsAndLeavesTheModelUnchanged() {
    LfadsModel m = OFF.build();
    SpikeShard d = data();
    float[] before = m.parameters();
    float[] exploded = before.clone();
    int bias = m.layout().block("readout/b").offset();
    exploded[bias] = 1e4f; // exp(1e4) overflows: infinite loss
    m.setParameters(exploded);
    assertThrows(IllegalStateException.class, () -> m.fit(d.batch(0, 4)));
    assertArrayEquals(exploded, m.parameters());
    assertEquals(0, m.step());
  }

  @Test
  void trainingLowersTheLoss() {
    SpikeShard d = data();
    LfadsModel m = OFF.toBuilder().klRamp(0, 0).l2Ramp(0, 0).learningRate(0.02).build().build();
    double first = m.evaluate(d.batch(0, 12)).get("loss");
    for (int s = 0; s < 60; s++) {
      m.fit(d.batch(s * 6, 6));
    }
    double after = m.evaluate(d.batch(0, 12)).get("loss");
    assertTrue(after < 0.8 * first, "loss " + first + " -> " + after);
  }

  private static boolean hasNonZero(float[] a) {
    for (float v : a) {
      if (v != 0f) {
        return true;
      }
    }
    return false;
  }
}
