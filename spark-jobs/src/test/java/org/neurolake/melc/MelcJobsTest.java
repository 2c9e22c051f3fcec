package org.neurolake.melc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.CatalogSettings;
import org.neurolake.jobs.EvaluateMelcJob;
import org.neurolake.jobs.JobRunner;
import org.neurolake.jobs.MakeExamplesJob;
import org.neurolake.jobs.TrainMelcJob;
import org.neurolake.eval.Metric;
import org.neurolake.pipelines.synthetic.GaussianBlobs;
import org.neurolake.jobs.QueryJob;
import org.neurolake.model.melc.BinnedCsDivergence;
import org.neurolake.model.melc.CsDivergence;
import org.neurolake.model.melc.ExactCsDivergence;
import org.neurolake.model.melc.LabeledPoints;
import org.neurolake.pipelines.table.Lake;
import picocli.CommandLine;

/**
 * The distributed binned objective equals the local one (its histograms are additive over
 * partitions) and stays within its bound of the exact objective; evaluate-melc on a tiny UCI-like
 * set writes every model's figures, which the shipped query {@code melc} prints as one row;
 * train-melc learns a generated examples set.
 */
class MelcJobsTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Lake lake;

  @BeforeAll
  static void session() {
    lake = Lake.parse(dir.resolve("lake").toString());
    CatalogSettings catalog = CatalogSettings.resolve(lake, null, null, false, "neurolake", Duration.ZERO);
    spark = JobRunner.session("melc-jobs-test", catalog);
  }

  /** Later test classes in this JVM get their own session and catalog (ExternalMetastoreTest needs a fresh one). */
  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void distributedBinnedObjectiveEqualsTheLocalOne() {
    Random r = new Random(5);
    int n = 900;
    double[][] x = new double[n][3];
    int[] y = new int[n];
    List<LabeledVector> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      y[i] = i % 3 == 0 ? 1 : 0;
      for (int j = 0; j < 3; j++) {
        x[i][j] = r.nextGaussian() + (j == 0 ? 1.5 * y[i] : 0);
      }
      rows.add(new LabeledVector(x[i], y[i]));
    }
    LabeledPoints local = new LabeledPoints(x, y);
    JavaRDD<LabeledVector> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 4).cache();
    double eps = 0.05;
    DistributedBinnedObjective distributed = DistributedBinnedObjective.over(rdd, 3, 1.0, eps);
    double[] u = {0.8, -0.36, 0.48};
    CsDivergence.Evaluation d = distributed.evaluate(u);
    CsDivergence.Evaluation l = BinnedCsDivergence.local(local, 1.0, eps).evaluate(u);
    assertEquals(l.value(), d.value(), 1e-9);
    assertEquals(l.errorBound(), d.errorBound(), 1e-12);
    assertArrayEquals(l.gradient(), d.gradient(), 1e-6);
    double exact = new ExactCsDivergence(local, 1.0).evaluate(u).value();
    assertTrue(Math.abs(d.value() - exact) <= d.errorBound(), "error " + Math.abs(d.value() - exact) + " > bound "
        + d.errorBound());
    assertTrue(d.errorBound() <= eps);
    assertEquals(1, distributed.aggregations());
  }

  @Test
  void trainMelcLearnsAnExamplesSetThroughSparkAggregations() {
    MakeExamplesJob.run(spark, new MakeExamplesJob.Config(lake, "toy2", new GaussianBlobs(800, 4, 2, 3.0, 0.25, 1)));
    TrainMelcJob job = new TrainMelcJob();
    new CommandLine(job).parseArgs("--lake", lake.root().toString(), "--dataset", "toy2", "--random-starts", "1",
        "--max-iterations", "10");
    List<Metric> metrics = TrainMelcJob.run(spark, job.config());
    Metric bacc = metrics.stream().filter(m -> m.metric().equals("balanced_accuracy")).findFirst().orElseThrow();
    assertEquals("melc_binned", bacc.model());
    assertTrue(bacc.value() > 0.8, "balanced accuracy " + bacc.value());
    Metric aggregations = metrics.stream().filter(m -> m.metric().equals("aggregations")).findFirst().orElseThrow();
    assertTrue(aggregations.value() >= 1, "aggregations " + aggregations.value());
  }

  @Test
  void evaluateMelcWritesEveryModelAndTheQueryPrintsTheTable() throws IOException {
    Path uci = Files.createDirectories(dir.resolve("uci"));
    Random r = new Random(8);
    StringBuilder csv = new StringBuilder("a,b,label\n");
    for (int i = 0; i < 60; i++) {
      int label = i % 2;
      csv.append(String.format(Locale.ROOT, "%.4f,%.4f,%d%n", r.nextGaussian() + 2.5 * label, 3 * r.nextGaussian(),
          label));
    }
    Files.writeString(uci.resolve("toy.csv"), csv);
    EvaluateMelcJob job = new EvaluateMelcJob();
    new CommandLine(job).parseArgs("--lake", lake.root().toString(), "--data-dir", uci.toString(), "--datasets", "toy",
        "--folds", "3", "--inner-folds", "2", "--reg-grid", "0.1", "--mllib-max-iter", "10", "--random-starts", "1",
        "--max-iterations", "10");
    EvaluateMelcJob.run(spark, job.config());

    QueryJob query = new QueryJob();
    new CommandLine(query).parseArgs("--lake", lake.root().toString(), "--name", "melc");
    List<Row> table = QueryJob.run(spark, query.config()).collectAsList();
    assertEquals(1, table.size(), table.toString());
    Row row = table.get(0);
    assertEquals("toy", row.getString(0));
    assertEquals("cv3", row.getString(1));
    for (int c = 2; c <= 6; c++) {
      assertNotNull(row.get(c), "column " + c + " of " + row);
      assertTrue(row.getDouble(c) > 0.8, "balanced accuracy column " + c + " of " + row);
    }
    assertTrue(row.isNullAt(7), "bacc_rbf is empty without --rbf: " + row);
    for (int c = 8; c <= 10; c++) {
      assertTrue(row.getDouble(c) >= 1, "thresholds column " + c + " of " + row);
    }
  }
}
