package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neurolake.report.PlotImages;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.EvaluateLfadsJob;
import org.neurolake.jobs.InferLfadsJob;
import org.neurolake.jobs.IngestSpikesJob;
import org.neurolake.jobs.SynthSpikesJob;
import org.neurolake.jobs.TrainLfadsJob;
import org.neurolake.lfads.LfadsEvaluation;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.train.TrainingRun;

/**
 * The LFADS pipeline on a tiny configuration: generate the chaotic-RNN set and export it as a raw
 * recording → ingest that recording → train-lfads a few rounds (split into two runs by a resume) →
 * infer-lfads → evaluate-lfads (R^2 against the truth of the generated session, and co-bps of
 * held-out neurons) → evaluation rows and plots.
 */
class LfadsEndToEndTest {
  static SparkSession spark;
  @TempDir static Path dir;

  @BeforeAll
  static void start() {
    spark = TrainingSessions.start("local[3]", "lfads-e2e", Map.of());
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private String[] train(String lake, String runId, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("--lake", lake, "--session", "tiny",
        "--config", TestData.projectRoot().resolve("conf/train/lfads-synthetic.properties").toString(),
        "--set", "run-id=" + runId, "--set", "workers=2", "--set", "backups=1", "--set", "rounds=6",
        "--set", "local-steps=60", "--set", "batch-size=8", "--set", "checkpoint-every=2", "--set", "eval-every=3",
        "--set", "model.icEncDim=8", "--set", "model.g0Dim=8", "--set", "model.genDim=8", "--set", "model.factors=4",
        "--set", "data.held-out-fraction=0.25"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void generatesIngestsTrainsResumesInfersAndEvaluates() throws Exception {
    String lake = dir.resolve("lake").toString();
    Path raw = dir.resolve("raw");
    SynthSpikesJob.run(spark, Jobs.parse(new SynthSpikesJob(), "--lake", lake, "--session", "tiny-generated",
        "--conditions", "12", "--replications", "6", "--neurons", "20", "--export-events", raw.toString()).config());
    IngestSpikesJob.run(spark, Jobs.parse(new IngestSpikesJob(), "--lake", lake, "--format", "events_csv",
        "--session", "tiny", "--input", raw.resolve("tiny-generated_spikes.csv.gz").toString(),
        "--trials", raw.resolve("tiny-generated_trials.csv").toString()).config());
    // The ingested recording has no truth of its own: score it against the generated session's.
    spark.read().parquet(dir.resolve("lake/truth/session=tiny-generated").toString())
        .write().parquet(dir.resolve("lake/truth/session=tiny").toString());

    TrainLfadsJob.run(spark, Jobs.parse(new TrainLfadsJob(), train(lake, "tiny-run", "--stop-after-round", "3"))
        .config());
    TrainingRun.Result r = TrainLfadsJob.run(spark, Jobs.parse(new TrainLfadsJob(), train(lake, "tiny-run",
        "--resume")).config());
    assertEquals(6, r.state().nextRound());
    assertEquals(3, r.rounds().size(), "the resumed run ran rounds 3..5 only");
    assertTrue(r.rounds().stream().allMatch(x -> x.accepted() == 2), r.rounds().toString());
    assertTrue(Double.isFinite(r.metrics("valid").get("loss")), r.metrics("valid").toString());
    // Validation weighs the KL term as training does at that point: 6 rounds x 60 local steps into
    // the config's 2000-step ramp.
    assertEquals(6 * 60 / 2000.0, r.metrics("valid").get("kl_weight"), 1e-12);

    InferLfadsJob.Result inferred = InferLfadsJob.run(spark, Jobs.parse(new InferLfadsJob(), "--lake", lake,
        "--run-id", "tiny-run", "--samples", "3").config());
    assertEquals(72, inferred.trials());
    List<Row> outputs = TableReader.read(spark, Lake.parse(lake), LakeTables.LFADS_OUTPUTS)
        .where("run_id = 'tiny-run' and session = 'tiny'").collectAsList();
    assertEquals(72, outputs.size());
    assertEquals(Set.of("train", "dev", "test"), outputs.stream().map(o -> o.getString(1)).collect(Collectors.toSet()));
    for (Row o : outputs) {
      assertEquals(20 * 100, o.getList(5).size(), "rates: 20 neurons x 100 bins");
      assertEquals(4 * 100, o.getList(7).size(), "factors: 4 x 100 bins");
      assertEquals(0, o.getInt(8), "no controller, no inputs");
      assertTrue(o.<Double>getList(5).stream().allMatch(v -> v >= 0 && Double.isFinite(v)));
    }

    EvaluateLfadsJob.Result eval = EvaluateLfadsJob.run(spark, Jobs.parse(new EvaluateLfadsJob(), "--lake", lake,
        "--run-id", "tiny-run").config());
    for (String model : List.of("lfads", LfadsEvaluation.SMOOTHING, LfadsEvaluation.LINEAR_LATENT)) {
      double r2 = eval.get(model, "r2_rates");
      double bps = eval.get(model, "co_bps");
      assertTrue(r2 <= 1 && Double.isFinite(r2), model + " R^2 " + r2);
      assertTrue(bps < 1 && Double.isFinite(bps), model + " co-bps " + bps);
    }
    // A floor a broken model fails (the config's seed 1, 6 rounds x 60 local steps; the choice of
    // the backup's dropped result depends on timing): the trained LFADS fits the rates about as well
    // as their mean (measured R^2 -0.009; untrained, 6 x 2 steps: -60) and better than the smoothing
    // baseline (-0.57). The linear-latent baseline (0.05) needs more training than a test affords.
    double lfadsR2 = eval.get("lfads", "r2_rates");
    assertTrue(lfadsR2 > -0.2 && lfadsR2 > eval.get(LfadsEvaluation.SMOOTHING, "r2_rates"), "LFADS R^2 " + lfadsR2
        + ", smoothing " + eval.get(LfadsEvaluation.SMOOTHING, "r2_rates"));
    List<Row> rows = TableReader.read(spark, Lake.parse(lake), LakeTables.EVALUATIONS)
        .where("run_id = 'tiny-run' and split = 'test'").collectAsList();
    assertEquals(Set.of("lfads", "smoothing", "linear_latent"),
        rows.stream().map(x -> x.getString(x.fieldIndex("model"))).collect(Collectors.toSet()));
    assertEquals(Set.of("r2_rates", "r2_rates_pooled", "co_bps", "psth_r2"), rows.stream()
        .filter(x -> x.getString(x.fieldIndex("model")).equals("lfads")).map(x -> x.getString(3))
        .collect(Collectors.toSet()));
    assertTrue(TableReader.read(spark, Lake.parse(lake), LakeTables.EVALUATIONS)
        .where("run_id = 'tiny-run' and split = 'valid' and round = 3").count() > 0, "validation during training");
    assertTrue(!eval.plots().isEmpty(), "plots written");
    for (org.apache.hadoop.fs.Path p : eval.plots()) {
      assertTrue(PlotImages.assertPlotted(p, 0).getWidth() > 400, p.toString());
    }

    IllegalArgumentException noRun = assertThrows(IllegalArgumentException.class, () -> InferLfadsJob.run(spark,
        Jobs.parse(new InferLfadsJob(), "--lake", lake, "--run-id", "no-such-run").config()));
    assertTrue(noRun.getMessage().contains("no-such-run"), noRun.getMessage());
  }
}
