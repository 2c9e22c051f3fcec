package org.neurolake.pipelines.spikes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.quarantine.BadInputException;

class NwbSpikeReaderTest {
  @TempDir Path dir;

  /** Writes a minimal NWB-layout HDF5 file: units (ragged spike times) and trials (intervals + condition). */
  static Path writeNwb(Path file, double[] spikeTimes, long[] index, double[] start, double[] stop, long[] condition) {
    try (WritableHdfFile hdf = HdfFile.write(file)) {
      WritableGroup units = hdf.putGroup("units");
      units.putDataset("spike_times", spikeTimes);
      units.putDataset("spike_times_index", index);
      WritableGroup trials = hdf.putGroup("intervals").putGroup("trials");
      trials.putDataset("start_time", start);
      trials.putDataset("stop_time", stop);
      trials.putDataset("condition", condition);
    }
    return file;
  }

  @Test
  void binsSpikesInsideTrialWindows() {
    // unit 0: 0.005 0.012 0.5 (outside) ; unit 1: 0.019 1.001 1.0299 1.031 (last is at stop: excluded)
    double[] times = {0.005, 0.012, 0.5, 0.019, 1.001, 1.0299, 1.031};
    long[] index = {3, 7};
    Path f = writeNwb(dir.resolve("s.nwb"), times, index, new double[] {0.0, 1.0}, new double[] {0.02, 1.031},
        new long[] {4, 2});
    RecordingRead r = new NwbSpikeReader(10, "condition", RecordingLimits.DEFAULT, 1_000_000).read("s.nwb", f);
    assertEquals(2, r.trials().size());
    SpikeTrial t0 = r.trials().get(0);
    assertEquals("4", t0.condition());
    assertEquals(2, t0.nBins());
    assertArrayEquals(new int[] {1, 1, 0, 1}, t0.counts());
    SpikeTrial t1 = r.trials().get(1);
    assertEquals(4, t1.nBins());
    assertArrayEquals(new int[] {0, 0, 0, 0, 1, 0, 1, 0}, t1.counts());
  }

  @Test
  void inconsistentIndexIsRefusedBeforeReadingSpikes() {
    Path f = writeNwb(dir.resolve("bad.nwb"), new double[] {0.1, 0.2}, new long[] {1, 5}, new double[] {0},
        new double[] {1}, new long[] {0});
    BadInputException e = assertThrows(BadInputException.class,
        () -> new NwbSpikeReader(10, null, RecordingLimits.DEFAULT, 1_000_000).read("bad.nwb", f));
    assertEquals("bad.nwb: spike_times_index[1] = 5 is inconsistent (previous end 1, 2 spike times)", e.getMessage());
  }

  @Test
  void notAnHdf5FileIsAClearError() throws IOException {
    Path f = Files.writeString(dir.resolve("fake.nwb"), "this is not HDF5");
    BadInputException e = assertThrows(BadInputException.class,
        () -> new NwbSpikeReader(10, null, RecordingLimits.DEFAULT, 1_000_000).read("fake.nwb", f));
    assertTrue(e.getMessage().startsWith("fake.nwb is not a readable HDF5/NWB file"), e.getMessage());
  }

  @Test
  void aTruncatedHdf5FileIsAClearError() throws IOException {
    Path whole = writeNwb(dir.resolve("whole.nwb"), new double[] {0.1, 0.2}, new long[] {2}, new double[] {0},
        new double[] {1}, new long[] {0});
    byte[] bytes = Files.readAllBytes(whole);
    for (int length : new int[] {bytes.length / 2, bytes.length - 100}) {
      Path cut = Files.write(dir.resolve("cut.nwb"), java.util.Arrays.copyOf(bytes, length));
      BadInputException e = assertThrows(BadInputException.class,
          () -> new NwbSpikeReader(10, null, RecordingLimits.DEFAULT, 1_000_000).read("cut.nwb", cut));
      assertTrue(e.getMessage().startsWith("cut.nwb"), e.getMessage());
    }
  }

  @Test
  void absurdTrialLengthIsRefusedBeforeAllocation() {
    Path f = writeNwb(dir.resolve("long.nwb"), new double[] {0.1}, new long[] {1}, new double[] {0},
        new double[] {1e9}, new long[] {0});
    BadInputException e = assertThrows(BadInputException.class,
        () -> new NwbSpikeReader(1, null, RecordingLimits.DEFAULT, 1_000_000).read("long.nwb", f));
    assertTrue(e.getMessage().contains("is outside (0, 86400000]"), e.getMessage());
  }

  @Test
  void trialsOverTheRecordingMemoryBudgetAreRefusedBeforeAllocation() {
    // 10 trials of 2 units x 1000 bins (1 s at 1 ms), each far within the per-trial limit: 20000 counts.
    double[] start = new double[10];
    double[] stop = new double[10];
    for (int k = 0; k < 10; k++) {
      start[k] = k;
      stop[k] = k + 1;
    }
    Path f = writeNwb(dir.resolve("ten.nwb"), new double[] {0.5, 1.5}, new long[] {1, 2}, start, stop, new long[10]);
    // Spike times, unit ends, trial starts and stops, and the condition column kept as metadata (no
    // condition column is named here): 64 bytes a trial.
    long arrays = 16 * 2 + 8 * 2 + 16 * 10 + 64 * 10;
    RecordingLimits twoTrials = RecordingLimits.DEFAULT.withMaxBytesInMemory(arrays + 2 * 2000 * RecordingLimits.BYTES_PER_COUNT);
    BadInputException e = assertThrows(BadInputException.class,
        () -> new NwbSpikeReader(1, null, twoTrials, 1_000_000).read("ten.nwb", f));
    assertTrue(e.getMessage().startsWith("ten.nwb (10 trials of 2 units): 20000 spike counts"), e.getMessage());
    assertTrue(e.getMessage().contains("budget"), e.getMessage());
    RecordingLimits tenTrials = twoTrials.withMaxBytesInMemory(arrays + 10 * 2000 * RecordingLimits.BYTES_PER_COUNT);
    assertEquals(10, new NwbSpikeReader(1, null, tenTrials, 1_000_000).read("ten.nwb", f).trials().size());
  }
}
