package org.neurolake.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestBenchmarkTest {
  @Test
  void thePeakHeapIsTheLargestInUseBeforeACollectionInAnyProcessLog(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("gc-1.log"), "[0.010s][info][gc] Using G1\n"
        + "[0.512s][info][gc] GC(0) Pause Young (Normal) (G1 Evacuation Pause) 24M->3M(256M) 2.345ms\n"
        + "[1.204s][info][gc] GC(1) Pause Young (Normal) (G1 Evacuation Pause) 301M->120M(512M) 9.1ms\n");
    Files.writeString(dir.resolve("gc-2.log"), "[0.4s][info][gc] GC(0) Pause Full (System.gc()) 40M->12M(64M) 5ms\n");
    assertEquals(301, IngestBenchmark.peakHeapMb(dir));
    Files.writeString(dir.resolve("gc-1.log"), "[0.010s][info][gc] Using G1\n");
    Files.delete(dir.resolve("gc-2.log"));
    assertThrows(IllegalStateException.class, () -> IngestBenchmark.peakHeapMb(dir));
  }
}
