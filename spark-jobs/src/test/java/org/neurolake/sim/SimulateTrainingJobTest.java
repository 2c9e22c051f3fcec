package org.neurolake.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.MakeExamplesJob;
import org.neurolake.jobs.SimulateTrainingJob;
import org.neurolake.pipelines.synthetic.GaussianBlobs;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.report.PlotImages;
import picocli.CommandLine;

/** simulate-training from its command line to its tables and plots, on a tiny blobs set. */
class SimulateTrainingJobTest {
  static SparkSession spark;
  @TempDir Path dir;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("simulate").config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void writesEverySettingsRoundsEvaluationsAndPlots() {
    String lake = dir.resolve("lake").toString();
    MakeExamplesJob.run(spark, new MakeExamplesJob.Config(Lake.parse(lake), "blobs",
        new GaussianBlobs(1200, 8, 3, 3.0, 0.2, 1)));
    SimulateTrainingJob job = new SimulateTrainingJob();
    new CommandLine(job).parseArgs("--lake", lake, "--family", "mlp", "--dataset", "blobs", "--sim-id", "s1",
        "--machines", "6", "--backups", "0,1,auto", "--eval-every", "2", "--auto-every", "2",
        "--step-times", "lognormal:1.0:0.8", "--set", "rounds=6", "--set", "local-steps=2", "--set", "batch-size=16",
        "--set", "learning-rate=0.01", "--set", "model.hidden=16");
    SimulateTrainingJob.Result r = SimulateTrainingJob.run(spark, job.config());

    Map<String, Long> rows = TableReader.read(spark, Lake.parse(lake), LakeTables.SIM_ROUNDS)
        .where("sim_id = 's1'").collectAsList().stream()
        .collect(Collectors.groupingBy(row -> row.getString(row.fieldIndex("setting")), Collectors.counting()));
    // Six rounds per synchronous setting; as much worker work, 6 x 6 single updates, for async.
    assertEquals(Map.of("sync_b0", 6L, "sync_b1", 6L, "sync_auto", 6L, "async", 36L), rows);
    List<Row> evals = TableReader.read(spark, Lake.parse(lake), LakeTables.EVALUATIONS)
        .where("run_id like 's1-%' and metric = 'accuracy'").collectAsList();
    // Rounds 2, 4, 6 (async: updates 12, 24, 36) of four settings.
    assertEquals(12, evals.size(), evals.toString());
    for (SimResult s : r.results()) {
      assertTrue(s.last("test", "accuracy") > 0.5, s.setting() + " learns: " + s.last("test", "accuracy"));
    }
    assertEquals(2, r.plots().size());
    r.plots().forEach(p -> PlotImages.assertPlotted(Path.of(p.toUri()), 900));
  }
}
