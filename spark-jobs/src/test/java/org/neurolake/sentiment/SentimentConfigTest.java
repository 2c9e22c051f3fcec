package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.train.RunOptions;

class SentimentConfigTest {
  @TempDir Path dir;

  @Test
  void dataOptionsHaveDefaultsAndRejectUnknownKeys() {
    assertEquals(new MlstmData(500, 1), MlstmData.from(RunOptions.load(null, Map.of())));
    assertEquals(new MlstmData(20, 7), MlstmData.from(RunOptions.load(null,
        Map.of("data.held-out-documents", "20", "data.held-out-seed", "7"))));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MlstmData.from(RunOptions.load(null, Map.of("data.held-out-docs", "20"))));
    assertTrue(e.getMessage().contains("data.held-out-docs"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MlstmData(0, 1));
  }

  @Test
  void theSentimentUnitFileRoundTripsAndItsAbsenceIsExplained() {
    org.apache.hadoop.fs.Path ckpt = new org.apache.hadoop.fs.Path(dir.resolve("ckpt").toUri());
    Configuration conf = new Configuration();
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> SentimentUnit.read(conf, ckpt));
    assertTrue(missing.getMessage().contains("probe-sentiment"), missing.getMessage());
    SentimentUnit u = new SentimentUnit("r1", "sst2", 2388, -0.75, 0.125, -1, 0.9);
    u.write(conf, ckpt);
    assertEquals(u, SentimentUnit.read(conf, ckpt));
    SentimentUnit v = new SentimentUnit("r1", "sst2", 7, 0.5, 0, 1, 0.8);
    v.write(conf, ckpt);
    assertEquals(v, SentimentUnit.read(conf, ckpt), "a rerun replaces the file");
  }
}
