package org.neurolake.model.odm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.ModelSpecs;

class OdmModelTest {
  /** Symbol s appears with frequency FREQ[s]; its input is the one-hot of PERM[s]. */
  private static final double[] FREQ = {0.6, 0.3, 0.1};
  private static final int[] PERM = {2, 0, 1};

  private static int[] symbols(SplittableRandom r, int n) {
    int[] s = new int[n];
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      s[i] = u < FREQ[0] ? 0 : u < FREQ[0] + FREQ[1] ? 1 : 2;
    }
    return s;
  }

  private static float[] inputs(SplittableRandom r, int[] symbols) {
    float[] x = new float[symbols.length * 3];
    for (int i = 0; i < symbols.length; i++) {
      for (int d = 0; d < 3; d++) {
        x[i * 3 + d] = d == PERM[symbols[i]] ? 1f : 0f;
      }
    }
    return x;
  }

  /** Unlabelled inputs and an independent label sequence, window 1: only the marginal can be matched. */
  private static OdmShard marginalTask(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = inputs(r, symbols(r, 4000));
    int[] labels = symbols(r, 4000);
    return new OdmShard(x, labels, new float[0], new int[0], 3, 3, 1, 0);
  }

  private static OdmSpec marginalSpec(long seed) {
    return OdmSpec.builder(3, 3).generatorHidden(List.of(8)).discriminatorHidden(List.of(16)).window(1)
        .supervisedWeight(0).learningRate(0.01).seed(seed).build();
  }

  @Test
  void recoversThreeSymbolsFromTheirMarginalAlone() {
    OdmShard shard = marginalTask(6);
    OdmModel model = marginalSpec(2).build();
    for (int s = 0; s < 2000; s++) {
      model.fit(shard.batch(s * 64, 64));
    }
    SplittableRandom r = new SplittableRandom(99);
    int[] truth = symbols(r, 2000);
    float[] x = inputs(r, truth);
    int[] predicted = model.predict(Nd4j.create(x, new long[] {truth.length, 3}, 'c'));
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      correct += predicted[i] == truth[i] ? 1 : 0;
    }
    double accuracy = correct / (double) truth.length;
    assertTrue(accuracy > 0.97, "accuracy " + accuracy);
  }

  @Test
  void ngramCostRecoversThreeSymbolsFromTheirMarginalAlone() {
    OdmShard shard = marginalTask(6);
    // window 1: the unigram term alone; without sharpening every input gets the marginal (entropyWeight 0.1:
    // soft predictions, accuracy 0 to 0.9)
    OdmModel model = marginalSpec(2).toBuilder().cost(OdmCost.NGRAM).entropyWeight(1.0).build().build();
    for (int s = 0; s < 500; s++) {
      model.fit(shard.batch(s * 256, 256));
    }
    double accuracy = accuracy(model);
    assertTrue(accuracy > 0.97, "accuracy " + accuracy);
  }

  private static double accuracy(OdmModel model) {
    SplittableRandom r = new SplittableRandom(99);
    int[] truth = symbols(r, 2000);
    float[] x = inputs(r, truth);
    int[] predicted = model.predict(Nd4j.create(x, new long[] {truth.length, 3}, 'c'));
    int correct = 0;
    for (int i = 0; i < truth.length; i++) {
      correct += predicted[i] == truth[i] ? 1 : 0;
    }
    return correct / (double) truth.length;
  }

  @Test
  void ngramTrainingIsDeterministicGivenTheSeed() {
    OdmShard shard = marginalTask(6);
    OdmSpec spec = marginalSpec(4).toBuilder().cost(OdmCost.NGRAM).entropyWeight(0.1).build();
    OdmModel a = spec.build();
    OdmModel b = spec.build();
    OdmModel other = spec.toBuilder().seed(5).build().build();
    for (int s = 0; s < 30; s++) {
      assertEquals(a.fit(shard.batch(s * 16, 16)), b.fit(shard.batch(s * 16, 16)));
      other.fit(shard.batch(s * 16, 16));
    }
    assertArrayEquals(a.parameters(), b.parameters());
    assertArrayEquals(a.optimizerState(), b.optimizerState());
    assertFalse(Arrays.equals(a.parameters(), other.parameters()));
  }

  @Test
  void trainingIsDeterministicGivenTheSeed() {
    OdmShard shard = marginalTask(6);
    OdmModel a = marginalSpec(4).build();
    OdmModel b = marginalSpec(4).build();
    OdmModel other = marginalSpec(5).build();
    for (int s = 0; s < 30; s++) {
      assertEquals(a.fit(shard.batch(s * 16, 16)), b.fit(shard.batch(s * 16, 16)));
      other.fit(shard.batch(s * 16, 16));
    }
    assertArrayEquals(a.parameters(), b.parameters());
    assertArrayEquals(a.optimizerState(), b.optimizerState());
    assertFalse(Arrays.equals(a.parameters(), other.parameters()));
  }

  @Test
  void specRoundTripsThroughJsonAsKindOdm() {
    OdmSpec spec = marginalSpec(7).toBuilder().cost(OdmCost.NGRAM).entropyWeight(0.25).build();
    String json = ModelSpecs.toJson(spec);
    assertTrue(json.contains("\"kind\" : \"odm\""), json);
    assertTrue(json.contains("\"cost\" : \"ngram\""), json);
    assertEquals(spec, ModelSpecs.fromJson(json));
  }
}
