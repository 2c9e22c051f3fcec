package org.neurolake.pipelines.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private org.apache.hadoop.fs.Path target() {
    return new org.apache.hadoop.fs.Path(dir.resolve("run/run.json").toUri());
  }

  @Test
  void writesReplacesAndReads() {
    Configuration conf = new Configuration();
    assertTrue(AtomicFiles.readUtf8(conf, target()).isEmpty());
    AtomicFiles.write(conf, target(), "first");
    AtomicFiles.write(conf, target(), "second, longer");
    assertEquals("second, longer", AtomicFiles.readUtf8(conf, target()).orElseThrow());
  }

  @Test
  void concurrentWritersLeaveOneWholeContentAndNoTemporaryFile() throws Exception {
    Configuration conf = new Configuration();
    int writers = 6;
    byte[][] payloads = new byte[writers][];
    for (int w = 0; w < writers; w++) {
      payloads[w] = new byte[1 << 20];
      Arrays.fill(payloads[w], (byte) ('a' + w));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        byte[] mine = payloads[w];
        done.add(pool.submit(() -> {
          for (int i = 0; i < 20; i++) {
            AtomicFiles.write(conf, target(), mine);
            byte[] seen = AtomicFiles.read(conf, target()).orElseThrow();
            assertEquals(mine.length, seen.length, "a whole file, never a torn one");
            byte first = seen[0];
            for (byte b : seen) {
              if (b != first) {
                throw new AssertionError("content of two writers mixed in one file");
              }
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    byte[] last = AtomicFiles.read(conf, target()).orElseThrow();
    assertTrue(Arrays.stream(payloads).anyMatch(p -> Arrays.equals(p, last)));
    try (var files = Files.list(dir.resolve("run"))) {
      assertEquals(List.of("run.json"), files.map(p -> p.getFileName().toString())
          .filter(n -> !n.endsWith(".crc")).toList(), "no temporary file is left behind");
    }
    assertArrayEquals(last, Files.readAllBytes(dir.resolve("run/run.json")));
  }
}
