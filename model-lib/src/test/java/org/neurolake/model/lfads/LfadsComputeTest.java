package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurolake.model.api.ComputePath;
import org.neurolake.model.api.ModelSpecs;

/** {@link LfadsSpec#compute()}: its JSON form, default for older specs, and the path a model takes. */
class LfadsComputeTest {
  @Test
  void autoTrainsOnTheFusedPathOnTheCpuBackendAndEachPathIsTakenWhenAskedFor() {
    // The tests run on ND4J's CPU backend: a default spec trains on the fused path here.
    assertEquals(ComputePath.FUSED_CPU, ComputePath.AUTO.resolve());
    assertEquals(ComputePath.FUSED_CPU, LfadsModelTest.OFF.build().compute());
    assertEquals(ComputePath.ND4J, LfadsModelTest.OFF.toBuilder().compute(ComputePath.ND4J).build().build().compute());
    assertEquals(ComputePath.FUSED_CPU,
        LfadsModelTest.OFF.toBuilder().compute(ComputePath.FUSED_CPU).build().build().compute());
  }

  @Test
  void theFieldRoundTripsThroughJsonAndOlderSpecsReadAsAuto() {
    assertEquals(ComputePath.AUTO, LfadsModelTest.OFF.compute());
    LfadsSpec nd4j = LfadsModelTest.OFF.toBuilder().compute(ComputePath.ND4J).build();
    String json = ModelSpecs.toJson(nd4j);
    assertTrue(json.contains("\"compute\" : \"nd4j\""), json);
    assertEquals(nd4j, ModelSpecs.fromJson(json));
    String old = ModelSpecs.toJson(LfadsModelTest.OFF).replaceAll(",?\\s*\"compute\" : \"[a-z-]+\"", "");
    assertTrue(!old.contains("compute"), old);
    assertEquals(LfadsModelTest.OFF, ModelSpecs.fromJson(old), "a spec written before the field reads as auto");
    var e = assertThrows(RuntimeException.class, () -> ModelSpecs.fromJson(json.replace("\"nd4j\"", "\"gpu\"")));
    assertTrue(String.valueOf(e.getMessage()).contains("gpu"), e.getMessage());
  }
}
