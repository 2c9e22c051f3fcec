package org.neurolake.model.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.api.TrainableModel;

class Dl4jMlpTest {
  private static DenseShard blobs(int n, long seed) {
    return Blobs.of(n, seed);
  }

  static final MlpSpec SPEC = MlpSpec.of(8, List.of(16), 3, 0.01, 7);


  @Test
  void specRoundTripsThroughJson() {
    String json = ModelSpecs.toJson(SPEC);
    assertTrue(json.contains("\"kind\" : \"MLP\""), json);
    assertEquals(SPEC, ModelSpecs.fromJson(json));
    assertThrows(IllegalArgumentException.class, () -> ModelSpecs.fromJson("{\"nIn\": 3}"));
  }

  @Test
  void parameterCountMatchesTheNetwork() {
    TrainableModel m = SPEC.build();
    assertEquals(SPEC.parameterCount(), m.parameterCount());
    assertEquals(8 * 16 + 16 + 16 * 3 + 3, m.parameterCount());
  }

  @Test
  void trainingReducesLossAndLearnsTheBlobs() {
    TrainableModel m = SPEC.build();
    DenseShard data = blobs(600, 1);
    double first = m.evaluate(data.batch(0, 600)).get("loss");
    for (int step = 0; step < 200; step++) {
      m.fit(data.batch(step * 32, 32));
    }
    var after = m.evaluate(data.batch(0, 600));
    assertTrue(after.get("loss") < 0.5 * first, "loss " + first + " -> " + after.get("loss"));
    assertTrue(after.get("accuracy") > 0.9, "accuracy " + after.get("accuracy"));
  }

  @Test
  void sameStateAndBatchesGiveTheSameResult() {
    TrainableModel a = SPEC.build();
    DenseShard data = blobs(200, 2);
    for (int s = 0; s < 5; s++) {
      a.fit(data.batch(s * 16, 16));
    }
    TrainableModel b = MlpSpec.of(8, List.of(16), 3, 0.01, 99).build(); // other init, overwritten below
    b.setParameters(a.parameters());
    b.setOptimizerState(a.optimizerState());
    b.setStep(a.step());
    assertEquals(5, b.step());
    for (int s = 5; s < 10; s++) {
      Batch batch = data.batch(s * 16, 16);
      a.fit(batch);
      b.fit(batch);
    }
    assertArrayEquals(a.parameters(), b.parameters(), 1e-6f);
    assertArrayEquals(a.optimizerState(), b.optimizerState(), 1e-6f);
  }

  @Test
  void wrongSizesAreRefused() {
    TrainableModel m = SPEC.build();
    assertThrows(IllegalArgumentException.class, () -> m.setParameters(new float[3]));
    assertThrows(IllegalArgumentException.class, () -> m.setOptimizerState(new float[3]));
    assertThrows(IllegalArgumentException.class, () -> new DenseShard(new float[8], new int[] {5}, 8, 3));
  }
}
