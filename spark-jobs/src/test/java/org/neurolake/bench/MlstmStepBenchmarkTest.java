package org.neurolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.ComputePath;

class MlstmStepBenchmarkTest {
  @Test
  void optionsDefaultToThePaperScaleStepAndOverride() {
    MlstmStepBenchmark.Options d = MlstmStepBenchmark.Options.parse(new String[0]);
    assertEquals(new MlstmStepBenchmark.Options(1024, 128, 64, RotatedRepetitions.MIN_REPETITIONS, 2,
        List.of(ComputePath.FUSED_CPU)), d);
    MlstmStepBenchmark.Options o = MlstmStepBenchmark.Options.parse(new String[] {"--hidden", "32", "--steps", "8"});
    assertEquals(new MlstmStepBenchmark.Options(32, 128, 8, RotatedRepetitions.MIN_REPETITIONS, 2,
        List.of(ComputePath.FUSED_CPU)), o);
    assertEquals(List.of(ComputePath.ND4J),
        MlstmStepBenchmark.Options.parse(new String[] {"--compute", "nd4j"}).paths());
    assertEquals(List.of(ComputePath.FUSED_CPU, ComputePath.ND4J),
        MlstmStepBenchmark.Options.parse(new String[] {"--compute", "both", "--steps", "8"}).paths());
    assertThrows(IllegalArgumentException.class, () -> MlstmStepBenchmark.Options.parse(new String[] {"--compute",
        "gpu"}));
    assertThrows(IllegalArgumentException.class, () -> MlstmStepBenchmark.Options.parse(new String[] {"--compute",
        "auto"}));
    assertThrows(IllegalArgumentException.class, () -> MlstmStepBenchmark.Options.parse(new String[] {"--size", "3"}));
    assertThrows(IllegalArgumentException.class, () -> MlstmStepBenchmark.Options.parse(new String[] {"--hidden"}));
  }

  private static String lastLineOf(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      MlstmStepBenchmark.main(args);
    } finally {
      System.setOut(out);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).trim().split("\n");
    return lines[lines.length - 1];
  }

  private static final String NUMBER = "[0-9.e+-]+";
  private static final String EXISTING_KEYS = "BENCH mlstm-step bytes_per_s=\\d+ gflops=# gemm_gflops=# fraction=#"
      + " fraction_min=# fraction_max=# repetitions=3";

  @Test
  void aTinyRunEndsWithTheBenchLine() {
    String last = lastLineOf("--hidden", "32", "--batch", "4", "--steps", "8", "--iterations", "3", "--warmup", "1");
    assertTrue(last.matches(EXISTING_KEYS.replace("#", NUMBER)), last);
  }

  @Test
  void aTinyRunOfBothPathsAddsTheNd4jFraction() {
    String last = lastLineOf("--hidden", "32", "--batch", "4", "--steps", "8", "--iterations", "3", "--warmup", "1",
        "--compute", "both");
    assertTrue(last.matches((EXISTING_KEYS + " bytes_per_s_nd4j=\\d+ gflops_nd4j=# fraction_nd4j=# fraction_nd4j_min=#"
        + " fraction_nd4j_max=#").replace("#", NUMBER)), last);
  }
}
