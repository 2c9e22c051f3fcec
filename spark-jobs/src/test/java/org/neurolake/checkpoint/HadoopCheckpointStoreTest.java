package org.neurolake.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HadoopCheckpointStoreTest {
  @TempDir Path dir;

  private HadoopCheckpointStore store() {
    return new HadoopCheckpointStore(new Configuration(), new org.apache.hadoop.fs.Path(dir.toUri()));
  }

  private static Checkpoint ckpt(int round) {
    float[] p = new float[1000];
    for (int i = 0; i < p.length; i++) {
      p[i] = round + i / 1000f;
    }
    return new Checkpoint(round, round, 42, p, new float[] {1f, 2f, round}, "{\"kind\":\"MLP\"}",
        Map.of("workers", "4"));
  }

  @Test
  void roundTripsAndKeepsTheNewestK() {
    HadoopCheckpointStore s = store();
    for (int r = 1; r <= 5; r++) {
      s.commit(ckpt(r), 3);
    }
    assertEquals(List.of(3, 4, 5), s.rounds());
    Checkpoint c = s.latestValid().orElseThrow();
    assertEquals(5, c.nextRound());
    assertArrayEquals(ckpt(5).parameters(), c.parameters());
    assertArrayEquals(new float[] {1f, 2f, 5f}, c.optimizerState());
    assertEquals(Map.of("workers", "4"), c.trainerConfig());
    assertEquals("{\"kind\":\"MLP\"}", c.modelSpecJson());
  }

  @Test
  void corruptOrTruncatedNewestFallsBackToThePrevious() throws Exception {
    HadoopCheckpointStore s = store();
    s.commit(ckpt(1), 5);
    s.commit(ckpt(2), 5);
    s.commit(ckpt(3), 5);
    // Flip one byte of round 3's parameters: checksum mismatch.
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("ckpt-000003/parameters.f32").toFile(), "rw")) {
      f.seek(100);
      int b = f.read();
      f.seek(100);
      f.write(b ^ 0xFF);
    }
    assertEquals(2, s.latestValid().orElseThrow().nextRound());
    // Truncate round 2's optimizer state: size mismatch.
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve("ckpt-000002/optimizer.f32").toFile(), "rw")) {
      f.setLength(4);
    }
    assertEquals(1, s.latestValid().orElseThrow().nextRound());
  }

  @Test
  void anUnfinishedWriteIsNeverListed() throws Exception {
    HadoopCheckpointStore s = store();
    s.commit(ckpt(1), 5);
    // What a crash in the middle of a commit leaves: a hidden temporary directory without manifest.
    Path partial = Files.createDirectories(dir.resolve(".ckpt-000002.tmp-dead"));
    Files.write(partial.resolve("parameters.f32"), new byte[12]);
    assertEquals(List.of(1), s.rounds());
    assertEquals(1, s.latestValid().orElseThrow().nextRound());
    assertTrue(s.latestValid().isPresent());
  }
}
