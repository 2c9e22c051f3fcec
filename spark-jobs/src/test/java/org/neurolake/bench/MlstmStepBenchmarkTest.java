package org.neurolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MlstmStepBenchmarkTest {
  @Test
  void optionsDefaultToThePaperScaleStepAndOverride() {
    MlstmStepBenchmark.Options d = MlstmStepBenchmark.Options.parse(new String[0]);
    assertEquals(new MlstmStepBenchmark.Options(1024, 128, 64, RotatedRepetitions.MIN_REPETITIONS, 2), d);
    MlstmStepBenchmark.Options o = MlstmStepBenchmark.Options.parse(new String[] {"--hidden", "32", "--steps", "8"});
    assertEquals(new MlstmStepBenchmark.Options(32, 128, 8, RotatedRepetitions.MIN_REPETITIONS, 2), o);
    assertThrows(IllegalArgumentException.class, () -> MlstmStepBenchmark.Options.parse(new String[] {"--size", "3"}));
    assertThrows(IllegalArgumentException.class, () -> MlstmStepBenchmark.Options.parse(new String[] {"--hidden"}));
  }

  @Test
  void aTinyRunEndsWithTheBenchLine() {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      MlstmStepBenchmark.main(new String[] {"--hidden", "32", "--batch", "4", "--steps", "8", "--iterations", "3",
          "--warmup", "1"});
    } finally {
      System.setOut(out);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).trim().split("\n");
    String last = lines[lines.length - 1];
    String number = "[0-9.e+-]+";
    assertTrue(last.matches("BENCH mlstm-step bytes_per_s=\\d+ gflops=# gemm_gflops=# fraction=# fraction_min=#"
        .replace("#", number) + " fraction_max=" + number + " repetitions=3"), last);
  }
}
