package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.ModelSpecs;

/** {@link LfadsSpec#compute()}: its values, JSON form, default for older specs and the auto rule. */
class LfadsComputeTest {
  @Test
  void theOptionParsesItsThreeSpellingsAndRefusesOthersNamingThem() {
    assertEquals(LfadsCompute.AUTO, LfadsCompute.of("auto"));
    assertEquals(LfadsCompute.FUSED_CPU, LfadsCompute.of("fused-cpu"));
    assertEquals(LfadsCompute.ND4J, LfadsCompute.of(" ND4J "));
    var e = assertThrows(IllegalArgumentException.class, () -> LfadsCompute.of("gpu"));
    assertTrue(e.getMessage().contains("auto, fused-cpu, nd4j") && e.getMessage().contains("gpu"), e.getMessage());
  }

  @Test
  void autoPicksNd4jExactlyOffTheCpuBackend() {
    assertEquals(LfadsCompute.FUSED_CPU, LfadsCompute.AUTO.resolve(true));
    assertEquals(LfadsCompute.ND4J, LfadsCompute.AUTO.resolve(false));
    assertEquals(LfadsCompute.FUSED_CPU, LfadsCompute.FUSED_CPU.resolve(false));
    assertEquals(LfadsCompute.ND4J, LfadsCompute.ND4J.resolve(true));
    // The tests run on ND4J's CPU backend: a default spec trains on the fused path here.
    assertTrue(Nd4j.getEnvironment().isCPU());
    assertEquals(LfadsCompute.FUSED_CPU, LfadsModelTest.OFF.build().compute());
  }

  @Test
  void theFieldRoundTripsThroughJsonAndOlderSpecsReadAsAuto() {
    assertEquals(LfadsCompute.AUTO, LfadsModelTest.OFF.compute());
    LfadsSpec nd4j = LfadsModelTest.OFF.toBuilder().compute(LfadsCompute.ND4J).build();
    String json = ModelSpecs.toJson(nd4j);
    assertTrue(json.contains("\"compute\" : \"nd4j\""), json);
    assertEquals(nd4j, ModelSpecs.fromJson(json));
    String old = ModelSpecs.toJson(LfadsModelTest.OFF).replaceAll(",?\\s*\"compute\" : \"[a-z-]+\"", "");
    assertTrue(!old.contains("compute"), old);
    assertEquals(LfadsModelTest.OFF, ModelSpecs.fromJson(old), "a spec written before the field reads as auto");
    assertThrows(RuntimeException.class, () -> ModelSpecs.fromJson(json.replace("\"nd4j\"", "\"gpu\"")));
  }
}
