package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.checkpoint.HadoopCheckpointStore;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.pipelines.quarantine.BadInputException;

/** What --resume starts from: the newest valid checkpoint; never round 0 when every checkpoint is unusable. */
class TrainingRunResumeTest {
  @TempDir Path dir;

  private org.apache.hadoop.fs.Path ckptDir() {
    return new org.apache.hadoop.fs.Path(dir.toUri());
  }

  private HadoopCheckpointStore store() {
    return new HadoopCheckpointStore(new Configuration(), ckptDir());
  }

  private static Checkpoint ckpt(int round) {
    return new Checkpoint(round, round * 4L, 7, new float[] {round, 1f, 2f}, new float[0],
        ModelSpecs.toJson(TrainingFixtures.SPEC), Map.of());
  }

  private void corrupt(int round) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(dir.resolve(String.format("ckpt-%06d/parameters.f32", round))
        .toFile(), "rw")) {
      f.seek(0);
      int b = f.read();
      f.seek(0);
      f.write(b ^ 0xFF);
    }
  }

  @Test
  void resumesFromTheNewestValidCheckpoint() throws Exception {
    HadoopCheckpointStore s = store();
    s.commit(ckpt(2), 5);
    s.commit(ckpt(4), 5);
    corrupt(4);
    assertEquals(2, TrainingRun.resumeState(s, ckptDir(), "r", TrainingFixtures.SPEC).nextRound());
  }

  @Test
  void everyCheckpointCorruptIsAnErrorNotAFreshStart() throws Exception {
    HadoopCheckpointStore s = store();
    s.commit(ckpt(2), 5);
    s.commit(ckpt(4), 5);
    corrupt(2);
    corrupt(4);
    BadInputException e = assertThrows(BadInputException.class,
        () -> TrainingRun.resumeState(s, ckptDir(), "r", TrainingFixtures.SPEC));
    assertTrue(e.getMessage().startsWith("--resume: every checkpoint of run r in " + ckptDir() + " (rounds [2, 4])"
        + " is corrupt or truncated; nothing trained"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), "one line");
  }

  @Test
  void noCheckpointAtAllStartsAfresh() {
    assertEquals(0, TrainingRun.resumeState(store(), ckptDir(), "r", TrainingFixtures.SPEC).nextRound());
  }
}
