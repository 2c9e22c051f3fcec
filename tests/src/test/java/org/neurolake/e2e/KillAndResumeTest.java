package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.checkpoint.HadoopCheckpointStore;

/**
 * The training driver in its own JVM, SIGKILLed (a) in the middle of a round and then, resumed,
 * (b) in the middle of writing a checkpoint; resumed again with {@code --resume}, the run ends
 * with the parameters, optimizer state and update count of an uninterrupted run, bit for bit.
 */
class KillAndResumeTest {
  static final int ROUNDS = 6;
  @TempDir Path dir;

  @Test
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aRunKilledMidRoundAndMidCheckpointResumesToTheUninterruptedResult() throws Exception {
    // The uninterrupted run; then, in the same JVM, (a) killed while round 3's task 1 runs:
    // checkpoints of rounds 1..3 are committed.
    Path midRound = dir.resolve("mid-round");
    killAtMarker(driver(List.of(train("whole", false), train("split", false)), "HANG_TASK", 3, midRound), midRound);
    assertEquals(6, store("whole").latestValid().orElseThrow().nextRound(), "the uninterrupted run finished");
    assertEquals(List.of(1, 2, 3), store("split").rounds());

    // (b) Resumed, and killed while writing the checkpoint of round 5 (part of it is on disk).
    Path midCheckpoint = dir.resolve("mid-checkpoint");
    killAtMarker(driver(List.of(train("split", true)), "HANG_IN_CHECKPOINT", 5, midCheckpoint), midCheckpoint);
    assertEquals(List.of(1, 2, 3, 4), store("split").rounds(), "the half-written checkpoint 5 is not listed");
    try (var files = Files.list(checkpointDir("split"))) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(".ckpt-000005.tmp-")),
          "the kill landed inside checkpoint 5's write");
    }

    Process resumed = driver(List.of(train("split", true)), "NONE", -1, dir.resolve("unused-marker"));
    assertEquals(0, resumed.waitFor(), "resumed run");
    assertTrue(Files.readString(dir.resolve("driver.log")).contains("resuming run split at round 4"),
        "the last run resumed from checkpoint 4");

    Checkpoint whole = store("whole").latestValid().orElseThrow();
    Checkpoint split = store("split").latestValid().orElseThrow();
    assertEquals(ROUNDS, whole.nextRound());
    assertEquals(ROUNDS, split.nextRound());
    assertEquals(whole.updates(), split.updates(), "update count");
    assertTrue(Arrays.equals(whole.parameters(), split.parameters()), "parameters bit-identical");
    assertTrue(Arrays.equals(whole.optimizerState(), split.optimizerState()), "optimizer state bit-identical");
    assertTrue(whole.optimizerState().length > 0, "the run carries optimizer state");
  }

  private Path checkpointDir(String runId) {
    return dir.resolve("lake/checkpoints/" + runId);
  }

  private HadoopCheckpointStore store(String runId) {
    return new HadoopCheckpointStore(new Configuration(), new org.apache.hadoop.fs.Path(checkpointDir(runId).toUri()));
  }

  /** The arguments of one train-classifier run. */
  private List<String> train(String runId, boolean resume) {
    List<String> args = new ArrayList<>(List.of("--lake", dir.resolve("lake").toString(), "--dataset", "small",
        "--hidden", "16", "--set", "run-id=" + runId, "--set", "workers=2", "--set", "backups=0",
        "--set", "rounds=" + ROUNDS, "--set", "local-steps=2", "--set", "batch-size=32",
        "--set", "learning-rate=0.01", "--set", "checkpoint-every=1", "--set", "keep-checkpoints=10"));
    if (resume) {
      args.add("--resume");
    }
    return args;
  }

  /**
   * Starts a driver JVM with the test JVM's flags (Spark's --add-opens) and class path that runs
   * {@code runs} in turn, the last with the fault; output to {@code driver.log}.
   */
  private Process driver(List<List<String>> runs, String fault, int faultRound, Path marker) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> !a.startsWith("-Xmx") && !a.startsWith("-agentlib") && !a.startsWith("-javaagent"))
        .forEach(cmd::add);
    cmd.addAll(List.of("-Xmx1g", "-cp", System.getProperty("java.class.path"), TrainingDriverProcess.class.getName(),
        dir.resolve("lake").toString(), fault, Integer.toString(faultRound), marker.toString()));
    for (List<String> run : runs) {
      cmd.add("--");
      cmd.addAll(run);
    }
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("driver.log").toFile())).start();
  }

  /** Waits for the driver to reach its hang (its marker file), then SIGKILLs it. */
  private static void killAtMarker(Process p, Path marker) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (!Files.exists(marker) && p.isAlive() && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    boolean reached = Files.exists(marker);
    p.destroyForcibly(); // SIGKILL: no shutdown hook, no final checkpoint
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertTrue(reached, "the driver reached the injected hang (exit " + p.exitValue() + ")");
    assertFalse(p.exitValue() == 0, "the driver was killed, it did not finish");
  }
}
