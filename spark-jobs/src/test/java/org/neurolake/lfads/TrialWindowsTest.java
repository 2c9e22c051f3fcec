package org.neurolake.lfads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.spikes.SpikeTrial;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.text.Split;

/** A session of variable-length trials cut to one window around an event, as an LFADS run loads it. */
class TrialWindowsTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Lake lake;

  /** Trial k has 2 neurons, 8 + k bins of 10 ms, count(n, t) = 10 n + t, and its go cue at 10 k + 35 ms. */
  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[1]").appName("windows-test").config("spark.ui.enabled", "false")
        .getOrCreate();
    lake = Lake.parse(dir.resolve("lake").toString());
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < 6; k++) {
      int nBins = 8 + k;
      int[] counts = new int[2 * nBins];
      for (int n = 0; n < 2; n++) {
        for (int t = 0; t < nBins; t++) {
          counts[n * nBins + t] = 10 * n + t;
        }
      }
      Map<String, String> info = k == 5 ? Map.of("id", "x5") : Map.of("go_ms", Integer.toString(10 * k + 35));
      rows.add(new SpikeTrial(k, "c" + (k % 2), 2, nBins, 10, counts, info).toRow());
    }
    // Trial 0's go cue at 25 ms: a window from -30 ms starts before the trial.
    rows.set(0, new SpikeTrial(0, "c0", 2, 8, 10, new int[16], Map.of("go_ms", "25")).toRow());
    PartitionCommitter committer = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    committer.stage(spark.createDataFrame(rows, LakeTables.SPIKE_TRIALS.dataSchema()), lake, LakeTables.SPIKE_TRIALS,
        PartitionKey.of(LakeTables.SPIKE_TRIALS, "var")).commit();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static final LfadsData DATA = new LfadsData(0, 0.2, 0, 1);

  @Test
  void mixedShapesWithoutAWindowNameTheOption() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LfadsSession.load(spark, lake, "var", DATA));
    assertTrue(e.getMessage().contains("mixes trial shapes"), e.getMessage());
    assertTrue(e.getMessage().contains("data.window-ms"), e.getMessage());
  }

  @Test
  void eventAlignedWindowsCutEveryTrialToOneShapeAndListTheTrialsLeftOut() {
    LfadsSession s = LfadsSession.load(spark, lake, "var", DATA, TrialWindow.parse("go_ms", "-30:20"));
    assertEquals(new SpikeShards.Shape(2, 5, 10), s.shape());
    assertEquals(List.of(new TrialWindows.LeftOut(0, "window starts at -5.0 ms, before the trial's start"),
        new TrialWindows.LeftOut(5, "has no go_ms in trial_info")), s.leftOut());
    List<Row> c = s.trials().select(Columns.TRIAL, Columns.N_BINS, Columns.COUNTS).orderBy(Columns.TRIAL)
        .collectAsList();
    assertEquals(List.of(1, 2, 3, 4), c.stream().map(r -> r.getInt(0)).toList());
    assertEquals(List.of(5, 5, 5, 5), c.stream().map(r -> r.getInt(1)).toList());
    // Trial 2: go at 55 ms, window [25, 75) ms = bins 2..6.
    assertEquals(List.of(2, 3, 4, 5, 6, 12, 13, 14, 15, 16), c.get(1).getList(2));
    // Trial 4: go at 75 ms, window [45, 95) ms = bins 4..8; the last 3 of its 12 bins are not reached.
    assertEquals(List.of(4, 5, 6, 7, 8, 14, 15, 16, 17, 18), c.get(3).getList(2));
    assertEquals(4, s.collect(Split.TRAIN).size() + s.collect(Split.DEV).size() + s.collect(Split.TEST).size(),
        "the windowed trials split by name, as training reads them");
    assertEquals(2, s.describe().get("trials_left_out"));
    LfadsRunData run = LfadsRunData.of(s);
    assertEquals(2, run.trialsLeftOut());
    assertEquals(TrialWindow.parse("go_ms", "-30:20"), run.window());
  }

  @Test
  void aWindowPastEveryTrialOrAnUnknownEventIsAnError() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> LfadsSession.load(spark, lake, "var", DATA, TrialWindow.parse("start", "0:1000")));
    assertTrue(none.getMessage().contains("fits no trial; e.g. trial 0: window ends at bin 100"), none.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> LfadsSession.load(spark, lake, "var", DATA, TrialWindow.parse("move_ms", "0:10")));
    assertTrue(unknown.getMessage().contains("data.align = move_ms: no trial has it in trial_info (its columns: [go_ms,"
        + " id]"), unknown.getMessage());
  }

  @Test
  void theWholeTrialWindowLeavesTheTrialsUntouched() {
    var all = LfadsSession.load(spark, lake, "var", DATA, TrialWindow.parse("start", "0:80")).trials();
    assertEquals(6, all.count(), "every trial has 8 bins or more");
    var trials = org.neurolake.pipelines.table.TableReader.read(spark, lake, LakeTables.SPIKE_TRIALS);
    assertSame(trials.getClass(), TrialWindows.apply(trials, TrialWindow.WHOLE).trials().getClass());
    assertEquals(trials.queryExecution().logical(), TrialWindows.apply(trials, TrialWindow.WHOLE).trials()
        .queryExecution().logical());
  }
}
