package org.neurolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@link BenchOptions}: a benchmark's arguments into its picocli options. */
class BenchOptionsTest {

  @Test
  void parsesPositionalsAndOptions() {
    MelcScaleBenchmark.Options o = BenchOptions.parse(new MelcScaleBenchmark.Options(), new String[] {"10", "20",
        "--dims", "3"});
    assertEquals(10, o.n1);
    assertEquals(20, o.n2);
    assertEquals(3, o.dims);
    assertEquals(5, o.repetitions, "the default");
  }
}
