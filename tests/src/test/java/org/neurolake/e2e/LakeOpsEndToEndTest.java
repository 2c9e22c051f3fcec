package org.neurolake.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.MakeExamplesJob;
import org.neurolake.jobs.ReportJob;

/**
 * The lake's operations as a user runs them, on a tiny run. train-classifier through bin/pipeline
 * (the application jar) registers its tables in the lake's embedded Derby metastore; a query in
 * another JVM, a new Spark session on the same metastore, finds them by name without registering
 * anything; the shipped best_runs query prints the run; the run's report opens in headless
 * Chromium with every image loaded, and a missing image is detected.
 */
class LakeOpsEndToEndTest {
  @TempDir static Path dir;

  @Test
  void trainedRunIsQueryableByNameInANewSessionAndItsReportRendersInABrowser() throws Exception {
    Path lake = dir.resolve("lake");
    SparkSession spark = SparkSession.builder().master("local[2]").appName("lake-ops-e2e")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      MakeExamplesJob.run(spark, Jobs.parse(new MakeExamplesJob(), "--lake", lake.toString(), "--dataset", "tiny",
          "--examples", "1200", "--dims", "8", "--classes", "3", "--spread", "2.0").config());
    } finally {
      spark.stop();
    }

    LauncherTest.Run train = LauncherTest.pipeline("train-classifier", "--master", "local[3]",
        "--conf", "spark.ui.enabled=false", "--lake", lake.toString(), "--dataset", "tiny",
        "--config", TestData.projectRoot().resolve("conf/train/mlp-blobs.properties").toString(), "--hidden", "16",
        "--set", "run-id=lakeops", "--set", "workers=2", "--set", "backups=1", "--set", "rounds=3",
        "--set", "eval-every=1", "--set", "checkpoint-every=0", "--set", "learning-rate=0.01");
    assertEquals(0, train.exit(), train.err());
    assertTrue(train.out().contains("catalog: neurolake.train_rounds registered (1 partition) in the embedded metastore "
        + lake.resolve("_catalog/metastore_db")), train.out());
    assertTrue(train.out().contains("catalog: neurolake.evaluations registered (1 partition)"), train.out());
    assertTrue(Files.exists(lake.resolve("_catalog/derby.log")), "Derby logs into the catalog folder");

    // A new JVM and session on the same metastore, registering nothing (--no-sync): what the job registered.
    LauncherTest.Run counts = LauncherTest.pipeline("query", "--conf", "spark.ui.enabled=false", "--lake",
        lake.toString(), "--no-sync", "--format", "csv", "--sql",
        "SELECT 'train_rounds' AS t, count(*) AS n FROM train_rounds WHERE run_id = 'lakeops'"
            + " UNION ALL SELECT 'evaluations', count(*) FROM evaluations WHERE run_id = 'lakeops'");
    assertEquals(0, counts.exit(), counts.err());
    // 3 rounds of N + b = 3 task attempts; accuracy and loss after each round.
    assertEquals("t,n\ntrain_rounds,9\nevaluations,6\n", counts.out());

    LauncherTest.Run best = LauncherTest.pipeline("query", "--conf", "spark.ui.enabled=false", "--lake",
        lake.toString(), "--name", "best_runs");
    assertEquals(0, best.exit(), best.err());
    List<String> lines = best.out().lines().toList();
    assertTrue(lines.get(0).matches("model \\| dataset \\| split \\| metric +\\| best_run \\| +value \\| round \\|"
        + " runs_compared"), best.out());
    assertTrue(lines.get(2).matches("mlp +\\| tiny +\\| test +\\| accuracy \\| lakeops +\\| +[0-9.]+ \\| +3 \\| +1"),
        best.out());
    assertTrue(lines.get(3).startsWith("mlp   | tiny    | test  | loss     | lakeops  |"), best.out());
    assertEquals("(2 rows)", lines.get(4), best.out());

    spark = SparkSession.builder().master("local[2]").appName("lake-ops-e2e-report")
        .config("spark.ui.enabled", "false").getOrCreate();
    ReportJob.Result report;
    try {
      report = ReportJob.run(spark, Jobs.parse(new ReportJob(), "--lake", lake.toString(), "--run-id", "lakeops").config());
    } finally {
      spark.stop();
    }
    Path page = lake.resolve("reports/lakeops/index.html");
    assertEquals(page.toString(), report.page().toUri().getPath());
    String html = Files.readString(page);
    assertTrue(html.contains("&quot;run_id&quot; : &quot;lakeops&quot;"), "the page shows run.json, escaped");
    assertTrue(html.contains("<td>accuracy</td>"), "the page shows the evaluations");

    Map<String, Boolean> images = HeadlessChromium.images(page);
    assertEquals(Map.of("completion_cdf.png", true, "loss.png", true), images);
    String index = Files.readString(lake.resolve("reports/index.html"));
    assertTrue(index.contains("<a href=\"lakeops/index.html\">lakeops</a>"), index);
    assertEquals(Map.of(), HeadlessChromium.images(lake.resolve("reports/index.html")));

    Files.delete(lake.resolve("reports/lakeops/loss.png"));
    Map<String, Boolean> broken = HeadlessChromium.images(page);
    assertFalse(broken.get("loss.png"), "a missing image is detected: " + broken);
    assertTrue(broken.get("completion_cdf.png"));
  }
}
