package org.neurolake.pipelines.spikes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.testing.Fixtures;
import org.neurolake.pipelines.testing.LocalSpark;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Struct;

/**
 * Trial tables as labs export them: columns found by name, variable trial lengths, no condition,
 * event and id columns kept as trial_info; through the events CSV, MAT and NWB readers.
 */
class TrialTablesTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = LocalSpark.start();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private Map<Integer, SpikeTrial> trials(Lake lake, String session) {
    return IngestedTrials.of(spark, lake, session);
  }

  private SpikeEventIngestion.Result ingest(Lake lake, String session, String table, String events,
      TrialColumns names) {
    Fixtures.write(dir.resolve(session + "-t.csv"), table);
    Fixtures.write(dir.resolve(session + "-e.csv"), SpikeEvent.HEADER + "\n" + events);
    return SpikeEventIngestion.run(spark, lake, session, dir.resolve(session + "-e.csv").toString(),
        dir.resolve(session + "-t.csv").toString(), names, 10, RecordingLimits.DEFAULT, Fixtures.atMost(0));
  }

  @Test
  void eventsTrialTableIsReadByNameWithVariableLengthsAndMetadataKept() {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    // Another tool's export: its own id name, the length under another name, no condition, and an
    // id and an event column that must travel with each trial.
    String table = "lab_id,session_trial,n_neurons,length_ms,go_cue_ms\n"
        + "3,T-017,2,40,12.5\n"
        + "5,T-018,2,25,\n";
    SpikeEventIngestion.Result r = ingest(lake, "lab", table, "3,0,0,1\n3,1,39,1\n5,1,24,2\n",
        TrialColumns.of("lab_id", null, null, "length_ms", null, null));
    assertEquals(2, r.trials());
    Map<Integer, SpikeTrial> t = trials(lake, "lab");
    assertEquals(4, t.get(3).nBins(), "40 ms at 10 ms");
    assertEquals(3, t.get(5).nBins(), "25 ms: the last bin is partial");
    assertArrayEquals(new int[] {1, 0, 0, 0, 0, 0, 0, 1}, t.get(3).counts());
    assertArrayEquals(new int[] {0, 0, 0, 0, 0, 2}, t.get(5).counts());
    assertNull(t.get(3).condition(), "no condition column: no condition");
    assertEquals(Map.of("session_trial", "T-017", "go_cue_ms", "12.5"), t.get(3).info());
    assertEquals(Map.of("session_trial", "T-018", "go_cue_ms", ""), t.get(5).info());
  }

  @Test
  void startAndStopColumnsGiveTheLengthAndANamedConditionIsRead() {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    String table = "trial,cond,n_neurons,start_ms,stop_ms,move_onset_ms\n"
        + "0,up,1,1000,1030,1010\n"
        + "1,down,1,2000,2050,2040\n";
    ingest(lake, "ss", table, "0,0,29,1\n1,0,49,1\n", TrialColumns.of(null, "cond", null, null, null, null));
    Map<Integer, SpikeTrial> t = trials(lake, "ss");
    assertEquals(3, t.get(0).nBins());
    assertEquals(5, t.get(1).nBins());
    assertEquals("down", t.get(1).condition());
    assertEquals(Map.of("start_ms", "2000", "stop_ms", "2050", "move_onset_ms", "2040"), t.get(1).info());
  }

  @Test
  void theDataHighTableKeepsItsColumnsAndHasNoMetadataLeft() {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    ingest(lake, "dh", "trial,condition,n_neurons,n_bins_1ms,total_spikes\n0,a,1,20,1\n", "0,0,3,1\n",
        TrialColumns.DEFAULT);
    SpikeTrial t = trials(lake, "dh").get(0);
    assertEquals("a", t.condition());
    assertEquals(Map.of(), t.info());
  }

  @Test
  void missingRequiredColumnsAreOneClearErrorNamingTheOption() {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    BadInputException noId = assertThrows(BadInputException.class,
        () -> ingest(lake, "e1", "trial_id,n_neurons,n_bins_1ms\n0,1,20\n", "", TrialColumns.DEFAULT));
    assertTrue(noId.getMessage().contains("has no trial id column 'trial' (see --trial-column"), noId.getMessage());
    BadInputException noLength = assertThrows(BadInputException.class,
        () -> ingest(lake, "e2", "trial,n_neurons,start_ms\n0,1,20\n", "", TrialColumns.DEFAULT));
    assertTrue(noLength.getMessage().contains("has neither a duration column 'n_bins_1ms' nor start and stop columns"),
        noLength.getMessage());
    BadInputException noCondition = assertThrows(BadInputException.class, () -> ingest(lake, "e3",
        "trial,n_neurons,n_bins_1ms\n0,1,20\n", "", TrialColumns.of(null, "cond", null, null, null, null)));
    assertTrue(noCondition.getMessage().endsWith("has no condition column 'cond'"), noCondition.getMessage());
    BadInputException fraction = assertThrows(BadInputException.class,
        () -> ingest(lake, "e4", "trial,n_neurons,n_bins_1ms\n0,1,20.5\n", "", TrialColumns.DEFAULT));
    assertTrue(fraction.getMessage().endsWith("line 2: trial length 20.5 ms is not a whole number of ms"),
        fraction.getMessage());
  }

  @Test
  void matStructFieldsBecomeMetadataAndTrialsMayDifferInLength() throws Exception {
    Struct d = Mat5.newStruct(1, 2);
    int[] lengths = {30, 45};
    for (int i = 0; i < 2; i++) {
      Matrix m = Mat5.newMatrix(2, lengths[i]);
      m.setDouble(1, lengths[i] - 1, 1);
      d.set("data", i, m);
      d.set("condition", i, Mat5.newScalar(i + 1));
      d.set("go_cue", i, Mat5.newScalar(10.5 + i));
      d.set("label", i, Mat5.newString("trial-" + i));
      d.set("epochs", i, Mat5.newMatrix(1, 3)); // a vector: not metadata
    }
    byte[] file = MatSpikeReaderTest.bytes(Mat5.newMatFile().addArray("D", d));
    Fixtures.write(dir.resolve("v.mat"), file);
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    RecordingIngestion.run(spark, lake, "mat", dir.resolve("v.mat").toString(),
        RecordingReader.mat(MatSpikeReader.Layout.DATAHIGH, 5, RecordingLimits.DEFAULT, 1 << 20), Fixtures.atMost(0));
    Map<Integer, SpikeTrial> t = trials(lake, "mat");
    assertEquals(6, t.get(0).nBins());
    assertEquals(9, t.get(1).nBins());
    assertEquals(1, t.get(1).count(1, 8));
    assertEquals("2", t.get(1).condition());
    assertEquals(Map.of("go_cue", "11.5", "label", "trial-1"), t.get(1).info());
  }

  @Test
  void nwbTrialsTableKeepsEveryColumnWithIdsAndEventsInMsFromTheTrialStart() throws Exception {
    Path f = dir.resolve("lab.nwb");
    try (WritableHdfFile hdf = HdfFile.write(f)) {
      WritableGroup units = hdf.putGroup("units");
      units.putDataset("spike_times", new double[] {10.005, 20.031});
      units.putDataset("spike_times_index", new long[] {1, 2});
      WritableGroup trials = hdf.putGroup("intervals").putGroup("trials");
      trials.putDataset("id", new long[] {7, 9});
      trials.putDataset("start_time", new double[] {10.0, 20.0});
      trials.putDataset("stop_time", new double[] {10.02, 20.05});
      trials.putDataset("condition", new long[] {1, 2});
      trials.putDataset("go_cue_time", new double[] {10.01, 20.025});
      trials.putDataset("reward", new long[] {0, 1});
      trials.putDataset("tags", new long[] {1, 2, 3});
      trials.putDataset("tags_index", new long[] {1, 3});
    }
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    RecordingIngestion.run(spark, lake, "nwb", f.toString(),
        RecordingReader.nwb(10, NwbSpikeReader.ID, "condition", RecordingLimits.DEFAULT, 1 << 20), Fixtures.atMost(0));
    Map<Integer, SpikeTrial> t = trials(lake, "nwb");
    assertEquals(List.of(7, 9), t.keySet().stream().sorted().toList(), "the trials table's ids");
    assertEquals(2, t.get(7).nBins());
    assertEquals(5, t.get(9).nBins());
    assertArrayEquals(new int[] {1, 0, 0, 0}, t.get(7).counts());
    assertEquals(1, t.get(9).count(1, 3));
    assertEquals("2", t.get(9).condition());
    assertEquals(Map.of("go_cue_time", "20.025", "go_cue_ms", "25.0", "reward", "1"), t.get(9).info(),
        "ragged tags (with tags_index) are not one value per trial");
  }
}
