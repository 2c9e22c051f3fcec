package org.neurolake.model.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurolake.model.mlp.MlpSpec;

class ModelSpecsTest {
  @Test
  void theFamiliesOfThisModuleRegisterThemselves() {
    assertTrue(ModelSpecs.kinds().containsAll(List.of("MLP", "LFADS", "MLSTM")), ModelSpecs.kinds().toString());
  }

  @Test
  void readsTheFormCheckpointsAlreadyHold() {
    // Written by the enum-based ModelSpecs of earlier releases: the kind comes last.
    String old = "{\"nIn\":4,\"hidden\":[8],\"nOut\":3,\"learningRate\":0.01,\"beta1\":0.9,\"beta2\":0.999,"
        + "\"epsilon\":1e-8,\"l2\":0.0,\"gradientClip\":0.0,\"seed\":7,\"kind\":\"MLP\"}";
    assertEquals(MlpSpec.of(4, List.of(8), 3, 0.01, 7), ModelSpecs.fromJson(old));
  }

  @Test
  void anUnknownKindIsNamedWithTheKnownOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSpecs.fromJson("{\"kind\":\"NOPE\",\"x\":1}"));
    assertTrue(e.getMessage().contains("unknown model kind 'NOPE'") && e.getMessage().contains("LFADS"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelSpecs.fromJson("{\"nIn\":4}"));
  }
}
