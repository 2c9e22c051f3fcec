package org.neurolake.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.ReportJob;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;
import org.neurolake.model.mlp.MlpSpec;
import org.neurolake.train.RunRecord;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/** Reports of runs that only some of the inputs exist for, as a model job other than the MLP leaves them. */
class ReportJobTest {
  @TempDir static Path dir;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    System.setProperty("java.awt.headless", "true");
    spark = SparkSession.builder().master("local[1]").appName("report-test").config("spark.ui.enabled", "false")
        .getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static ReportJob.Result report(Lake lake, String runId) {
    return ReportJob.run(spark, new ReportJob.Config(lake, runId));
  }

  @Test
  void aRunWithEvaluationsAndModelPlotsButNoRoundsOrConfigIsReportedWithWhatIsMissingSaid() throws Exception {
    Lake lake = Lake.parse(dir.resolve("lake1").toString());
    Timestamp t = new Timestamp(1_700_000_000_000L);
    new TableAppender(spark.sparkContext().hadoopConfiguration()).append(spark.createDataFrame(List.of(
            RowFactory.create("lfads-1", "synthetic-chaotic", "valid", "r2_rates", 0.81, 5, t),
            RowFactory.create("lfads-1", "synthetic-chaotic", "valid", "r2_rates", 0.87, 10, t),
            RowFactory.create("other", "x", "test", "r2_rates", 0.1, 1, t)),
        LakeTables.EVALUATIONS.dataSchema()), lake, LakeTables.EVALUATIONS, PartitionKey.of(LakeTables.EVALUATIONS, "lfads"));
    Path plots = dir.resolve("lake1/reports/lfads-1/plots");
    Files.createDirectories(plots);
    BufferedImage img = new BufferedImage(20, 10, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(img, "png", plots.resolve("rates vs truth.png").toFile());
    Files.writeString(plots.resolve("notes.txt"), "not an image");

    ReportJob.Result r = report(lake, "lfads-1");
    String html = Files.readString(dir.resolve("lake1/reports/lfads-1/index.html"));
    assertTrue(html.contains("<img src=\"plots/rates%20vs%20truth.png\" alt=\"rates vs truth.png\">"), html);
    assertFalse(html.contains("notes.txt"), html);
    assertTrue(html.contains("No train_rounds rows for this run."), html);
    assertTrue(html.contains("No run.json at file:" + dir.resolve("lake1/checkpoints/lfads-1/run.json")), html);
    assertFalse(html.contains("other"), "only this run's evaluations: " + html);
    assertEquals(List.of(new RunReport.Evaluation("lfads", "synthetic-chaotic", "valid", "r2_rates", 10, 0.87,
        r.report().finalEvaluations().get(0).createdAt())), r.report().finalEvaluations());

    // A second run (training rounds only, with run.json) joins the index; the first stays in it.
    TableAppender appender = new TableAppender(spark.sparkContext().hadoopConfiguration());
    appender.append(spark.createDataFrame(List.of(
            RowFactory.create(0, 0, 0, "e", 0L, 100L, true, 1.5, 64L, 1),
            RowFactory.create(0, 1, 1, "e", 0L, 300L, false, null, null, 1),
            RowFactory.create(1, 0, 0, "e", 400L, 480L, true, 0.9, 64L, 1)),
        LakeTables.TRAIN_ROUNDS.dataSchema()), lake, LakeTables.TRAIN_ROUNDS, PartitionKey.of(LakeTables.TRAIN_ROUNDS, "mlp-2"));
    // run.json as the training jobs write it: the one writer.
    RunRecord.of("mlp-2", "mlp", "blobs <b>&", MlpSpec.of(4, List.of(8), 3, 0.01, 1),
        TrainerConfig.builder().runId("mlp-2").build(), null, "local[2]")
        .write(spark.sparkContext().hadoopConfiguration(), TrainingRun.Config.defaultCheckpointDir(lake, "mlp-2"));
    report(lake, "mlp-2");
    String page = Files.readString(dir.resolve("lake1/reports/mlp-2/index.html"));
    assertTrue(page.contains("&quot;spec&quot; : {"), "the model spec is shown as a JSON object: " + page);
    assertTrue(page.contains("&quot;kind&quot; : &quot;MLP&quot;"), "with its kind: " + page);
    assertTrue(page.contains("&quot;hidden&quot; : [ 8 ]"), "and its fields: " + page);
    assertFalse(page.contains("\\&quot;"), "no JSON escaped inside a string: " + page);
    assertTrue(page.contains("&lt;b&gt;&amp;"), "run.json is escaped: " + page);
    for (String png : List.of(RoundPlots.LOSS, RoundPlots.COMPLETION_CDF)) {
      PlotImages.assertPlotted(dir.resolve("lake1/reports/mlp-2/" + png), RoundPlots.WIDTH);
      assertTrue(page.contains("<img src=\"" + png + "\""), page);
    }
    String index = Files.readString(dir.resolve("lake1/reports/index.html"));
    assertTrue(index.contains("<a href=\"lfads-1/index.html\">lfads-1</a>"), index);
    assertTrue(index.contains("<a href=\"mlp-2/index.html\">mlp-2</a>"), index);
    assertTrue(index.contains("lfads/synthetic-chaotic/valid r2_rates = 0.87 (round 10)"), index);
  }

  @Test
  void aRunTheLakeKnowsNothingOfIsAnError() {
    Lake lake = Lake.parse(dir.resolve("lake2").toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> report(lake, "ghost"));
    assertTrue(e.getMessage().startsWith("the lake " + lake.root() + " knows nothing of run 'ghost'"), e.getMessage());
    assertFalse(Files.exists(dir.resolve("lake2/reports/ghost/index.html")));
  }

  @Test
  void numbersKeepSixSignificantDigits() {
    assertEquals("0.077068", ReportHtml.number(0.07706798553466797));
    assertEquals("30", ReportHtml.number(30.0));
    assertEquals("1.00000e-07", ReportHtml.number(1e-7));
    assertEquals("0.985", ReportHtml.number(0.985));
  }
}
