package org.neurolake.pipelines.spikes;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.quarantine.BadRecordPolicy;
import org.neurolake.pipelines.synthetic.ChaoticRnnConfig;
import org.neurolake.pipelines.synthetic.SyntheticSpikes;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.testing.Fixtures;
import org.neurolake.pipelines.testing.LocalSpark;

class SpikeIngestionTest {
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

  private List<String> quarantineReasons(Lake lake, String session) {
    return TableReader.read(spark, lake, LakeTables.QUARANTINE)
        .where(col(Columns.TABLE).equalTo("spike_trials").and(col(Columns.DATASET).equalTo(session)))
        .orderBy(Columns.REASON).collectAsList().stream().map(r -> r.getString(2)).toList();
  }

  @Test
  void eventsAreBinnedAndBadLinesQuarantined() {
    Fixtures.write(dir.resolve("t.csv"), "trial,condition,n_neurons,n_bins_1ms,total_spikes\n"
        + "0,left,2,25,4\n1,right,2,25,0\n2,left,2,25,5\n");
    Fixtures.write(dir.resolve("e.csv.gz"), Fixtures.gzip(SpikeEvent.HEADER + "\n"
        + "0,0,0,1\n0,0,9,1\n0,1,24,2\n"  // trial 0: neuron 0 bin 0 x2, neuron 1 bin 2 x2 (partial last bin)
        + "2,1,3,1\n"                   // trial 2 has 1 accepted spike but the table says 5
        + "7,0,1,1\n"                   // unknown trial
        + "0,2,1,1\n"                   // neuron out of range
        + "0,0,25,1\n"                  // time out of range
        + "0,0,x,1\n"                   // not a number
        + "0,0,1\n"));                  // wrong column count
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    SpikeEventIngestion.Result r = SpikeEventIngestion.run(spark, lake, "s1", dir.resolve("e.csv.gz").toString(),
        dir.resolve("t.csv").toString(), 10, RecordingLimits.DEFAULT, Fixtures.atMost(100));
    assertEquals(9, r.events());
    assertEquals(5, r.badEvents());
    assertEquals(2, r.trials());
    assertEquals(1, r.badTrials());

    Map<Integer, SpikeTrial> t = trials(lake, "s1");
    assertEquals(List.of(0, 1), t.keySet().stream().sorted().toList());
    SpikeTrial t0 = t.get(0);
    assertEquals("left", t0.condition());
    assertEquals(3, t0.nBins());
    assertArrayEquals(new int[] {2, 0, 0, 0, 0, 2}, t0.counts());
    assertArrayEquals(new int[6], t.get(1).counts(), "a trial without events is all zeros");

    List<String> reasons = quarantineReasons(lake, "s1");
    assertEquals(6, reasons.size(), reasons.toString());
    assertTrue(reasons.contains("the trial table says 5 spikes but its accepted events hold 1"));
    assertTrue(reasons.contains("trial 7 is not in the trial table"));
    assertTrue(reasons.contains("neuron 2 is outside [0, 2) of trial 0"));
    assertTrue(reasons.contains("t_ms 25.0 is outside [0, 25) of trial 0"));
    assertTrue(reasons.contains("event row has 3 columns, expected 4 (trial,neuron,t_ms,count)"));
  }

  @Test
  void aSessionWhoseRefusedShareExceedsMaxBadFractionFailsAndKeepsThePartition() {
    Fixtures.write(dir.resolve("t.csv"), "trial,condition,n_neurons,n_bins_1ms\n0,a,2,20\n1,b,2,20\n");
    Fixtures.write(dir.resolve("good.csv"), SpikeEvent.HEADER + "\n0,0,1,1\n1,1,2,1\n");
    Fixtures.write(dir.resolve("bad.csv"), SpikeEvent.HEADER + "\n0,0,1,1\n0,5,1,1\n9,0,1,1\n");
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    SpikeEventIngestion.run(spark, lake, "kept", dir.resolve("good.csv").toString(), dir.resolve("t.csv").toString(),
        10, RecordingLimits.DEFAULT, BadRecordPolicy.DEFAULT);
    BadInputException e = assertThrows(BadInputException.class, () -> SpikeEventIngestion.run(spark, lake, "kept",
        dir.resolve("bad.csv").toString(), dir.resolve("t.csv").toString(), 10, RecordingLimits.DEFAULT,
        BadRecordPolicy.DEFAULT));
    assertTrue(e.getMessage().startsWith("ingesting session kept: 2 of 4 records refused (50.0%), more than"
        + " --max-bad-fraction 0.1 in "), e.getMessage());
    assertTrue(e.getMessage().contains("bad.csv"), e.getMessage());
    assertEquals(1, trials(lake, "kept").get(1).total(), "the existing session is kept");
  }

  @Test
  void absurdTrialTableIsRefusedBeforeAllocation() {
    Fixtures.write(dir.resolve("t.csv"), "trial,condition,n_neurons,n_bins_1ms\n0,a,2000000000,400\n");
    Fixtures.write(dir.resolve("e.csv"), SpikeEvent.HEADER + "\n");
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    BadInputException e = assertThrows(BadInputException.class, () -> SpikeEventIngestion.run(spark, lake, "s",
        dir.resolve("e.csv").toString(), dir.resolve("t.csv").toString(), 10, RecordingLimits.DEFAULT, Fixtures.atMost(100)));
    assertTrue(e.getMessage().endsWith("t.csv line 2: n_neurons = 2000000000 is outside [1, 100000]"), e.getMessage());
  }

  @Test
  void syntheticSessionSurvivesExportAndReingestion() {
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    ChaoticRnnConfig cfg = ChaoticRnnConfig.paper(ChaoticRnnConfig.Variant.INPUT_PULSE, 3, 2,
        ChaoticRnnConfig.DEFAULT_SEED);
    SyntheticSpikes.Result r = SyntheticSpikes.run(spark, lake, "synth", cfg);
    assertEquals(6, r.trials());
    Map<Integer, SpikeTrial> generated = trials(lake, "synth");
    assertEquals(r.spikes(), generated.values().stream().mapToLong(SpikeTrial::total).sum());

    List<Row> truth = TableReader.read(spark, lake, LakeTables.TRUTH).orderBy(Columns.TRIAL).collectAsList();
    assertEquals(6, truth.size());
    Row t0 = truth.get(0);
    assertEquals(50 * 100, t0.getList(5).size());
    assertEquals(50, t0.getInt(6));
    assertTrue(t0.getInt(8) >= 25 && t0.getInt(8) < 75);
    assertEquals(20.0, t0.getDouble(9));

    SpikeEventExport.Files files = SpikeEventExport.write(spark.sparkContext().hadoopConfiguration(),
        new org.apache.hadoop.fs.Path(dir.resolve("raw").toUri()), "synth",
        generated.values().stream().sorted(java.util.Comparator.comparingInt(SpikeTrial::trial)).iterator());
    SpikeEventIngestion.Result back = SpikeEventIngestion.run(spark, lake, "synth-again", files.events().toString(),
        files.trials().toString(), 10, RecordingLimits.DEFAULT, Fixtures.atMost(0));
    assertEquals(0, back.badEvents());
    Map<Integer, SpikeTrial> again = trials(lake, "synth-again");
    for (SpikeTrial g : generated.values()) {
      assertArrayEquals(g.counts(), again.get(g.trial()).counts(), "trial " + g.trial());
      assertEquals(g.condition(), again.get(g.trial()).condition());
    }
  }

  @Test
  void matRecordingIsReadInsideTheWritingTask() throws Exception {
    byte[] mat = MatSpikeReaderTest.dataHighFile(5, 4, 50, "data");
    Fixtures.write(dir.resolve("rec.mat"), mat);
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    RecordingIngestion.Result r = RecordingIngestion.run(spark, lake, "m1", dir.resolve("rec.mat").toString(),
        RecordingReader.mat(MatSpikeReader.Layout.DATAHIGH, 10, RecordingLimits.DEFAULT, 1 << 20), Fixtures.atMost(10));
    assertEquals(5, r.trials());
    Map<Integer, SpikeTrial> t = trials(lake, "m1");
    assertEquals(5, t.get(4).nBins());
    assertEquals("reach1", t.get(4).condition());
    assertEquals(List.of(), quarantineReasons(lake, "m1"));
  }

  /** The bad-input exception in a failed job's cause chain (Spark wraps a task's failure). */
  private static BadInputException badInput(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BadInputException b) {
        return b;
      }
    }
    throw new AssertionError("no BadInputException in the chain", t);
  }

  @Test
  void aTaskHoldsOneTrialAtATimeWithinItsMemoryBudget() {
    // 10 trials of 3 neurons x 1000 bins (1 ms), all in one partition: 3000 counts each.
    StringBuilder table = new StringBuilder("trial,condition,n_neurons,n_bins_1ms\n");
    StringBuilder events = new StringBuilder(SpikeEvent.HEADER + "\n");
    for (int k = 0; k < 10; k++) {
      table.append(k).append(",c,3,1000\n");
      events.append(k).append(",1,").append(10 * k).append(",1\n");
    }
    Fixtures.write(dir.resolve("t.csv"), table.toString());
    Fixtures.write(dir.resolve("e.csv"), events.toString());
    Lake lake = Lake.parse(dir.resolve("lake").toString());
    RecordingLimits twoTrials = RecordingLimits.DEFAULT.withMaxBytesInMemory(2 * 3000 * RecordingLimits.BYTES_PER_COUNT);
    SpikeEventIngestion.Result r = SpikeEventIngestion.run(spark, lake, "budget", dir.resolve("e.csv").toString(),
        dir.resolve("t.csv").toString(), 1, twoTrials, BadRecordPolicy.DEFAULT.withMaxBadRecords(0));
    assertEquals(10, r.trials());
    assertEquals(10, trials(lake, "budget").size());

    RecordingLimits lessThanATrial = RecordingLimits.DEFAULT.withMaxBytesInMemory(1000 * RecordingLimits.BYTES_PER_COUNT);
    Throwable failed = assertThrows(Exception.class, () -> SpikeEventIngestion.run(spark, lake, "small",
        dir.resolve("e.csv").toString(), dir.resolve("t.csv").toString(), 1, lessThanATrial,
        BadRecordPolicy.DEFAULT.withMaxBadRecords(0)));
    String m = badInput(failed).getMessage();
    assertTrue(m.matches(".*t\\.csv trial \\d: 3000 spike counts held at once need about 48000 bytes, more than"
        + " the reading task's budget of 16000 bytes.*"), m);
  }
}
