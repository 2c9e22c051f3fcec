package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.checkpoint.HadoopCheckpointStore;

/** A checkpoint on a real in-process HDFS survives a writer killed in the middle of the next one. */
class HdfsCheckpointCrashTest {
  static MiniHdfs hdfs;
  @TempDir static Path base;

  @BeforeAll
  static void start() throws Exception {
    hdfs = new MiniHdfs(base);
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @Test
  void killedWriterLeavesThePreviousCheckpointLoadable() throws Exception {
    String dir = hdfs.uri() + "/ckpt/run1";
    Configuration conf = new Configuration();
    HadoopCheckpointStore store = new HadoopCheckpointStore(conf, new org.apache.hadoop.fs.Path(URI.create(dir)));
    float[] params = {1f, 2f, 3f};
    store.commit(new Checkpoint(5, 5, 1, params, new float[] {4f}, "{\"kind\":\"MLP\"}", Map.of("workers", "2")), 3);

    // Another JVM writes ever newer 64 MB checkpoints; kill it while its first one is in flight.
    Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CheckpointWriterProcess.class.getName(), dir, "6",
        Integer.toString(16 << 20)).redirectErrorStream(true).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream()));
    String line;
    while ((line = out.readLine()) != null && !line.equals("writing")) {
      // skip log lines
    }
    FileSystem fs = FileSystem.get(URI.create(dir), conf);
    long deadline = System.currentTimeMillis() + 60_000;
    boolean inFlight = false;
    while (!inFlight && System.currentTimeMillis() < deadline) {
      for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(URI.create(dir)))) {
        inFlight |= s.getPath().getName().startsWith(".ckpt-000006.tmp-");
      }
      Thread.sleep(5);
    }
    writer.destroyForcibly();
    assertTrue(writer.waitFor(30, TimeUnit.SECONDS));
    assertTrue(inFlight, "the writer was caught in the middle of a checkpoint");

    List<Integer> rounds = store.rounds();
    assertEquals(5, rounds.get(0), "the old checkpoint is still listed: " + rounds);
    // Checkpoint 5 loads and verifies in full, whether or not newer ones were committed before the kill.
    Checkpoint previous = store.load(5);
    assertEquals(5, previous.nextRound());
    assertEquals(5, previous.updates());
    assertArrayEquals(params, previous.parameters());
    assertArrayEquals(new float[] {4f}, previous.optimizerState());
    assertEquals("{\"kind\":\"MLP\"}", previous.modelSpecJson());
    assertEquals(Map.of("workers", "2"), previous.trainerConfig());
    // The writer may have committed whole checkpoints before the kill: each verifies and holds what it wrote.
    float[] written = new float[16 << 20];
    java.util.Arrays.fill(written, 2f);
    for (int r : rounds.subList(1, rounds.size())) {
      Checkpoint c = store.load(r);
      assertEquals(r, c.nextRound());
      assertEquals(r, c.updates());
      assertTrue(java.util.Arrays.equals(written, c.parameters()), "parameters of checkpoint " + r);
      assertTrue(java.util.Arrays.equals(written, c.optimizerState()), "optimizer state of checkpoint " + r);
    }
    assertEquals(rounds.get(rounds.size() - 1), store.latestValid().orElseThrow().nextRound(),
        "the newest listed checkpoint is the one a resume takes");
  }
}
