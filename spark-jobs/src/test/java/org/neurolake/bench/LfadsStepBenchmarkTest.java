package org.neurolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LfadsStepBenchmarkTest {
  @Test
  void optionsDefaultToTheSpeedBenchmarksShapeAndOverride() {
    LfadsStepBenchmark.Options d = LfadsStepBenchmark.Options.parse(new String[0]);
    assertEquals(new LfadsStepBenchmark.Options(64, 100, 50, 64, 16, true, 4, 5, RotatedRepetitions.MIN_REPETITIONS,
        2), d);
    LfadsStepBenchmark.Options o = LfadsStepBenchmark.Options.parse(new String[] {"--controller", "0", "--bins", "8"});
    assertEquals(new LfadsStepBenchmark.Options(64, 8, 50, 64, 16, false, 4, 5, RotatedRepetitions.MIN_REPETITIONS,
        2), o);
    assertThrows(IllegalArgumentException.class, () -> LfadsStepBenchmark.Options.parse(new String[] {"--size", "3"}));
    assertThrows(IllegalArgumentException.class, () -> LfadsStepBenchmark.Options.parse(new String[] {"--bins"}));
    assertThrows(IllegalArgumentException.class,
        () -> LfadsStepBenchmark.Options.parse(new String[] {"--controller", "2"}));
  }

  @Test
  void aTinyRunTimesBothPathsAndEndsWithTheBenchLine() throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LfadsStepBenchmark.main(new String[] {"--batch", "3", "--bins", "5", "--neurons", "4", "--dim", "5",
          "--factors", "2", "--inputs", "2", "--steps", "2", "--repetitions", "2", "--warmup", "1"});
    } finally {
      System.setOut(out);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("repetition 2 of 2: nd4j fused-cpu"), "the order rotates:\n" + text);
    String[] lines = text.trim().split("\n");
    String last = lines[lines.length - 1];
    String number = "[0-9.e+-]+";
    assertTrue(last.matches(("BENCH lfads-step ms_fused=# ms_fused_min=# ms_fused_max=# ms_nd4j=# ms_nd4j_min=#"
        + " ms_nd4j_max=# fraction_nd4j=# fraction_nd4j_min=# fraction_nd4j_max=# repetitions=2")
        .replace("#", number)), last);
  }
}
