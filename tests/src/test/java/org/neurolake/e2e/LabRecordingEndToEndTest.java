package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.EvaluateLfadsJob;
import org.neurolake.jobs.InferLfadsJob;
import org.neurolake.jobs.IngestSpikesJob;
import org.neurolake.jobs.TrainLfadsJob;
import org.neurolake.lfads.LfadsEvaluation;
import org.neurolake.lfads.LfadsRunData;
import org.neurolake.lfads.TrialWindow;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.RunRecord;
import org.neurolake.train.TrainingRun;

/**
 * A recording as a lab exports it: trials of different lengths, a trial table with its own id
 * column name, an extra id column and a go-cue event column → ingest → train-lfads on a window
 * around the go cue → infer → evaluate (co-bps and PSTH R^2 of LFADS and both baselines).
 */
class LabRecordingEndToEndTest {
  static SparkSession spark;
  @TempDir static Path dir;

  private static final int TRIALS = 48;
  private static final int NEURONS = 12;

  @BeforeAll
  static void start() {
    spark = TrainingSessions.start("local[2]", "lab-recording-e2e", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  /**
   * Trial k lasts 340..500 ms; its go cue is between 150 ms and 180 ms before the end, except trials 0 and 1 (go cue at 40
   * ms: a window from -100 ms does not fit). Each neuron fires at a base rate, plus a burst after the
   * go cue whose size depends on the condition.
   */
  static void writeRecording(Path events, Path table) throws IOException {
    Random rnd = new Random(21);
    StringBuilder t = new StringBuilder("trial_id,lab_trial,condition,n_neurons,n_bins_1ms,go_cue_ms\n");
    StringBuilder e = new StringBuilder("trial,neuron,t_ms,count\n");
    for (int k = 0; k < TRIALS; k++) {
      int length = 340 + rnd.nextInt(161);
      int go = k < 2 ? 40 : 150 + rnd.nextInt(length - 180 - 150 + 1);
      int condition = k % 2;
      t.append(k).append(",L").append(1000 + k).append(',').append(condition == 0 ? "left" : "right").append(',')
          .append(NEURONS).append(',').append(length).append(',').append(go).append('\n');
      for (int n = 0; n < NEURONS; n++) {
        for (int ms = 0; ms < length; ms++) {
          double hz = 10 + (ms >= go && ms < go + 120 ? (n % 2 == condition ? 80 : 20) * (1 + n % 3) : 0);
          if (rnd.nextDouble() < hz / 1000) {
            e.append(k).append(',').append(n).append(',').append(ms).append(",1\n");
          }
        }
      }
    }
    Files.writeString(events, e.toString());
    Files.writeString(table, t.toString());
  }

  private String[] train(String lake, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("--lake", lake, "--session", "lab",
        "--config", TestData.projectRoot().resolve("conf/train/lfads-synthetic.properties").toString(),
        "--set", "run-id=lab-run", "--set", "workers=2", "--set", "rounds=4", "--set", "local-steps=20",
        "--set", "batch-size=8", "--set", "checkpoint-every=2", "--set", "eval-every=2",
        "--set", "model.icEncDim=8", "--set", "model.g0Dim=8", "--set", "model.genDim=8", "--set", "model.factors=4",
        "--set", "data.held-out-fraction=0.25", "--set", "data.test-fraction=0.25"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void variableLengthTrialsGoThroughAnEventAlignedWindow() throws Exception {
    String lake = dir.resolve("lake").toString();
    writeRecording(dir.resolve("events.csv"), dir.resolve("trials.csv"));
    IngestSpikesJob.run(spark, Jobs.parse(new IngestSpikesJob(), "--lake", lake, "--format", "events_csv",
        "--session", "lab", "--bin-ms", "20", "--input", dir.resolve("events.csv").toString(),
        "--trials", dir.resolve("trials.csv").toString(), "--trial-column", "trial_id").config());
    Row first = TableReader.read(spark, Lake.parse(lake), LakeTables.SPIKE_TRIALS).where("trial = 5").first();
    assertEquals(Set.of("lab_trial", "go_cue_ms"), first.getJavaMap(first.fieldIndex("trial_info")).keySet());

    IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
        () -> TrainLfadsJob.run(spark, Jobs.parse(new TrainLfadsJob(), train(lake)).config()));
    assertTrue(mixed.getMessage().contains("data.window-ms"), mixed.getMessage());

    TrainLfadsJob.run(spark, Jobs.parse(new TrainLfadsJob(), train(lake, "--set", "data.align=go_cue_ms",
        "--set", "data.window-ms=-100:160")).config());
    Lake l = Lake.parse(lake);
    LfadsRunData run = RunRecord.read(spark.sparkContext().hadoopConfiguration(),
        TrainingRun.Config.defaultCheckpointDir(l, "lab-run")).data(LfadsRunData.class);
    assertEquals(new TrialWindow("go_cue_ms", -100.0, 160.0), run.window());
    assertEquals(13, run.nBins(), "260 ms of 20 ms bins");
    assertEquals(2, run.trialsLeftOut());
    assertEquals(List.of(0, 1), run.leftOut().stream().map(x -> x.trial()).toList());

    InferLfadsJob.Result inferred = InferLfadsJob.run(spark, Jobs.parse(new InferLfadsJob(), "--lake", lake,
        "--run-id", "lab-run", "--samples", "2").config());
    assertEquals(TRIALS - 2, inferred.trials());
    for (Row o : TableReader.read(spark, l, LakeTables.LFADS_OUTPUTS).where("run_id = 'lab-run'").collectAsList()) {
      assertEquals(13, o.getInt(o.fieldIndex("n_bins")));
      assertEquals(NEURONS * 13, o.getList(o.fieldIndex("rates_hz")).size());
    }

    EvaluateLfadsJob.Result eval = EvaluateLfadsJob.run(spark, Jobs.parse(new EvaluateLfadsJob(), "--lake", lake,
        "--run-id", "lab-run").config());
    for (String model : List.of("lfads", LfadsEvaluation.SMOOTHING, LfadsEvaluation.LINEAR_LATENT)) {
      double bps = eval.get(model, "co_bps");
      double psth = eval.get(model, "psth_r2");
      assertTrue(Double.isFinite(bps) && bps < 1, model + " co-bps " + bps);
      assertTrue(Double.isFinite(psth) && psth <= 1, model + " PSTH R^2 " + psth);
    }
    Set<String> written = TableReader.read(spark, l, LakeTables.EVALUATIONS)
        .where("run_id = 'lab-run' and split = 'test'").collectAsList().stream()
        .map(x -> x.getString(x.fieldIndex("model")) + ":" + x.getString(x.fieldIndex("metric")))
        .collect(Collectors.toSet());
    assertTrue(written.containsAll(Set.of("lfads:co_bps", "lfads:psth_r2", "smoothing:psth_r2",
        "linear_latent:psth_r2")), written.toString());
    assertTrue(written.stream().noneMatch(m -> m.contains(":fp_")), "no bins held out in time: no fp rows " + written);
    assertEquals(0, run.split().forwardBins());
  }

  /**
   * The same recording with the last 3 of the 13 window bins held out in time: LFADS trains and
   * infers on the first 10 and writes rates for all 13; fp-bps of the three models on the last 3.
   */
  @Test
  void forwardBinsAreHeldOutInTimeAndScored() throws Exception {
    String lake = dir.resolve("lake-fp").toString();
    writeRecording(dir.resolve("events-fp.csv"), dir.resolve("trials-fp.csv"));
    IngestSpikesJob.run(spark, Jobs.parse(new IngestSpikesJob(), "--lake", lake, "--format", "events_csv",
        "--session", "lab", "--bin-ms", "20", "--input", dir.resolve("events-fp.csv").toString(),
        "--trials", dir.resolve("trials-fp.csv").toString(), "--trial-column", "trial_id").config());
    IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
        () -> TrainLfadsJob.run(spark, Jobs.parse(new TrainLfadsJob(), train(lake, "--set", "data.align=go_cue_ms",
            "--set", "data.window-ms=-100:160", "--set", "data.forward-bins=13")).config()));
    assertTrue(tooMany.getMessage().contains("data.forward-bins"), tooMany.getMessage());
    TrainLfadsJob.run(spark, Jobs.parse(new TrainLfadsJob(), train(lake, "--set", "data.align=go_cue_ms",
        "--set", "data.window-ms=-100:160", "--set", "data.forward-bins=3")).config());
    Lake l = Lake.parse(lake);
    LfadsRunData run = RunRecord.read(spark.sparkContext().hadoopConfiguration(),
        TrainingRun.Config.defaultCheckpointDir(l, "lab-run")).data(LfadsRunData.class);
    assertEquals(3, run.split().forwardBins());
    assertEquals(13, run.nBins());

    InferLfadsJob.run(spark, Jobs.parse(new InferLfadsJob(), "--lake", lake, "--run-id", "lab-run", "--samples", "2")
        .config());
    for (Row o : TableReader.read(spark, l, LakeTables.LFADS_OUTPUTS).where("run_id = 'lab-run'").collectAsList()) {
      assertEquals(13, o.getInt(o.fieldIndex("n_bins")), "rates of the observed and the forward bins");
      List<Double> hz = o.getList(o.fieldIndex("rates_hz"));
      assertTrue(hz.stream().allMatch(v -> Double.isFinite(v) && v > 0), "finite forward rates");
    }

    EvaluateLfadsJob.Result eval = EvaluateLfadsJob.run(spark, Jobs.parse(new EvaluateLfadsJob(), "--lake", lake,
        "--run-id", "lab-run").config());
    for (String model : List.of("lfads", LfadsEvaluation.SMOOTHING, LfadsEvaluation.LINEAR_LATENT)) {
      double fp = eval.get(model, "fp_bps");
      double co = eval.get(model, "co_bps");
      assertTrue(Double.isFinite(fp) && fp < 1, model + " fp-bps " + fp);
      assertTrue(Double.isFinite(co) && co < 1, model + " co-bps " + co);
    }
    Set<String> written = TableReader.read(spark, l, LakeTables.EVALUATIONS)
        .where("run_id = 'lab-run' and split = 'test'").collectAsList().stream()
        .map(x -> x.getString(x.fieldIndex("model")) + ":" + x.getString(x.fieldIndex("metric")))
        .collect(Collectors.toSet());
    assertTrue(written.containsAll(Set.of("lfads:fp_bps", "smoothing:fp_bps", "linear_latent:fp_bps",
        "lfads:co_bps", "smoothing:fp_lag_bins")), written.toString());
  }
}
