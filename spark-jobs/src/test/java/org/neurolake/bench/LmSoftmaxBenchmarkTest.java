package org.neurolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class LmSoftmaxBenchmarkTest {
  @Test
  void optionsDefaultToTheIssuesSizesAndOverride() {
    assertEquals(new LmSoftmaxBenchmark.Options(List.of(10_000, 100_000), 1024, 32, 20, 512, 256, 5),
        LmSoftmaxBenchmark.Options.parse(new String[0]));
    assertEquals(new LmSoftmaxBenchmark.Options(List.of(300, 2000), 1024, 32, 20, 512, 256, 5),
        LmSoftmaxBenchmark.Options.parse(new String[] {"--vocabs", "300,2000"}));
    assertThrows(IllegalArgumentException.class, () -> LmSoftmaxBenchmark.Options.parse(new String[] {"--k", "3"}));
  }

  @Test
  void aTinyRunEndsWithTheBenchLine() {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LmSoftmaxBenchmark.main(new String[] {"--vocabs", "500,2000", "--negatives", "16", "--batch", "2", "--steps",
          "3", "--hidden", "8", "--projection", "4", "--repetitions", "2"});
    } finally {
      System.setOut(out);
    }
    String[] lines = captured.toString(StandardCharsets.UTF_8).trim().split("\n");
    String last = lines[lines.length - 1];
    String n = "[0-9.e+-]+";
    assertTrue(last.matches("BENCH lm-softmax speedup_500=" + n + " speedup_500_min=" + n + " speedup_500_max=" + n
        + " speedup_2k=" + n + " speedup_2k_min=" + n + " speedup_2k_max=" + n), last);
  }
}
