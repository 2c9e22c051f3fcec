package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.model.api.ComputePath;
import org.neurolake.model.lfads.LfadsSpec;
import org.neurolake.model.mlp.MlpSpec;

class RunOptionsTest {
  @TempDir Path dir;

  @Test
  void splitsSectionsAndOverridesWin() throws Exception {
    Path f = dir.resolve("run.properties");
    Files.writeString(f, "workers=3\nmodel.seed=5\ndata.test-fraction=0.2\ntime-budget-s=30\n");
    RunOptions o = RunOptions.load(f, Map.of("workers", "4", "model.hidden", "8,4"));
    TrainerConfig t = o.trainerConfig();
    assertEquals(4, t.workers());
    assertEquals(30.0, t.timeBudgetSeconds());
    assertEquals(Map.of("seed", "5", "hidden", "8,4"), o.model());
    assertEquals("0.2", o.data("test-fraction", "0.1"));
    assertEquals("x", o.data("valid-fraction", "x"));
    o.requireDataKeys(Set.of("test-fraction"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.requireDataKeys(Set.of("other")));
    assertTrue(e.getMessage().contains("data.test-fraction"), e.getMessage());
  }

  @Test
  void modelOptionsGoThroughTheSpecsOwnValidation() {
    MlpSpec defaults = new MlpSpec(16, List.of(32), 3, 1e-3, 0.9, 0.999, 1e-8, 0, 0, 1);
    MlpSpec s = ModelSpecOptions.apply(defaults, Map.of("hidden", "8,4", "seed", "7", "learningRate", "0.01"));
    assertEquals(List.of(8, 4), s.hidden());
    assertEquals(7, s.seed());
    assertEquals(0.01, s.learningRate());
    assertEquals(16, s.nIn());

    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> ModelSpecOptions.apply(defaults, Map.of("hiddn", "8")));
    assertTrue(unknown.getMessage().contains("model.hiddn") && unknown.getMessage().contains("hidden"),
        unknown.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ModelSpecOptions.apply(defaults, Map.of("seed", "1.5")));
    assertThrows(IllegalArgumentException.class, () -> ModelSpecOptions.apply(defaults, Map.of("seed", "abc")));
    assertThrows(IllegalArgumentException.class, () -> ModelSpecOptions.apply(defaults, Map.of("kind", "MLP")));
  }

  @Test
  void lfadsCoordinatedDropoutIsSetFromARunConfigAndValidated() throws Exception {
    Path f = dir.resolve("lfads.properties");
    Files.writeString(f, "model.genDim=16\nmodel.coordinatedDropout=0.3\n");
    LfadsSpec defaults = LfadsSpec.builder(8, 10).build();
    assertEquals(0.0, defaults.coordinatedDropout());
    LfadsSpec s = ModelSpecOptions.apply(defaults, RunOptions.load(f, Map.of()).model());
    assertEquals(0.3, s.coordinatedDropout());
    assertEquals(16, s.genDim());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSpecOptions.apply(defaults, Map.of("coordinatedDropout", "1")));
    assertTrue(e.getMessage().contains("coordinatedDropout"), e.getMessage());
  }

  @Test
  void lfadsComputeIsSetFromARunConfigAndValidated() throws Exception {
    Path f = dir.resolve("lfads-compute.properties");
    Files.writeString(f, "model.compute=nd4j\n");
    LfadsSpec defaults = LfadsSpec.builder(8, 10).build();
    assertEquals(ComputePath.AUTO, defaults.compute());
    LfadsSpec s = ModelSpecOptions.apply(defaults, RunOptions.load(f, Map.of()).model());
    assertEquals(ComputePath.ND4J, s.compute());
    assertEquals(ComputePath.FUSED_CPU, ModelSpecOptions.apply(defaults, Map.of("compute", "fused-cpu")).compute());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSpecOptions.apply(defaults, Map.of("compute", "gpu")));
    assertTrue(e.getMessage().contains("auto, fused-cpu, nd4j"), e.getMessage());
  }
}
