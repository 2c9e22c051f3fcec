package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

class StragglerPolicyTest {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Test
  void aBusyStragglerSpendsItsDelayOnTheCpuAndASleepingOneDoesNot() {
    StragglerPolicy sleeping = StragglerPolicy.parse("slow:1:3");
    StragglerPolicy busy = StragglerPolicy.parse("busy:slow:1:3");
    assertEquals(new StragglerPolicy.Busy(sleeping), busy);
    assertEquals("busy:slow:1.0:3.0", busy.toString());
    assertEquals(sleeping.delayMs(5, 2, 1, 100), busy.delayMs(5, 2, 1, 100), "the same delays, spent differently");

    double sleepingCpuMs = cpuMsOf(() -> assertTrue(sleeping.spend(300, () -> false)));
    double busyCpuMs = cpuMsOf(() -> assertTrue(busy.spend(300, () -> false)));
    // Loose bounds: the tests may share a small, busy machine (a spinning thread then gets only its
    // share of a core), so the busy straggler is compared with the sleeping one.
    assertTrue(sleepingCpuMs < 60, "a sleeping straggler used " + sleepingCpuMs + " ms of CPU in 300 ms");
    assertTrue(busyCpuMs > 5 * Math.max(1, sleepingCpuMs),
        "a busy straggler used only " + busyCpuMs + " ms of CPU in 300 ms (a sleeping one " + sleepingCpuMs + ")");
  }

  @Test
  void spendingStopsWhenCancelled() {
    long t0 = System.nanoTime();
    assertFalse(StragglerPolicy.parse("busy:none").spend(10_000, () -> System.nanoTime() - t0 > 50_000_000L));
    assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
    assertThrows(IllegalArgumentException.class, () -> StragglerPolicy.parse("busy:busy:none"));
    assertThrows(IllegalArgumentException.class, () -> StragglerPolicy.parse("busy:slow:x"));
  }

  private static double cpuMsOf(Runnable r) {
    long c0 = THREADS.getCurrentThreadCpuTime();
    r.run();
    return (THREADS.getCurrentThreadCpuTime() - c0) / 1e6;
  }
}
