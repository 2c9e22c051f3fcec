package org.neurolake.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neurolake.jobs.CatalogSettings;
import org.neurolake.jobs.JobRunner;
import org.neurolake.jobs.QueryJob;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;
import picocli.CommandLine;

/**
 * The shipped queries on tiny tables with known answers, run the way {@code bin/pipeline query}
 * runs them: registration of the lake in an embedded metastore, parameters, the catalog database.
 */
class NamedQueriesTest {
  @TempDir static Path dir;
  static SparkSession spark;
  static Lake lake;
  static CatalogSettings catalog;

  @BeforeAll
  static void writeTables() {
    lake = Lake.parse(dir.resolve("lake").toString());
    catalog = CatalogSettings.resolve(lake, null, null, false, "neurolake", Duration.ZERO);
    spark = JobRunner.session("named-queries-test", catalog);
    TableAppender appender = new TableAppender(spark.sparkContext().hadoopConfiguration());

    // evaluations: mlp runs a, b, c; lfads runs x, y.
    List<Row> mlp = List.of(
        eval("a", "accuracy", 0.6, 5, 1), eval("a", "accuracy", 0.8, 10, 2), eval("a", "loss", 0.5, 10, 2),
        eval("a", "accuracy", 0.82, 10, 3), // round 10 evaluated again later (a resumed run): this one counts
        eval("b", "accuracy", 0.9, 10, 2), eval("b", "loss", 0.7, 10, 2),
        eval("c", "accuracy", 0.95, 5, 1), eval("c", "accuracy", 0.85, 10, 2)); // c's best round is not its final one
    appender.append(spark.createDataFrame(mlp, LakeTables.EVALUATIONS.dataSchema()), lake, LakeTables.EVALUATIONS,
        PartitionKey.of(LakeTables.EVALUATIONS, "mlp"));
    List<Row> lfads = List.of(eval("x", "r2", 0.7, 3, 1), eval("x", "nll", 1.2, 3, 1),
        eval("y", "r2", 0.8, 3, 1), eval("y", "nll", 1.0, 3, 1));
    appender.append(spark.createDataFrame(lfads, LakeTables.EVALUATIONS.dataSchema()), lake, LakeTables.EVALUATIONS,
        PartitionKey.of(LakeTables.EVALUATIONS, "lfads"));

    // train_rounds of run s: 2 rounds of 4 tasks, the slowest of each dropped.
    List<Row> rounds = new ArrayList<>();
    long[][] ms = {{100, 120, 130, 400}, {90, 110, 150, 1000}};
    for (int r = 0; r < 2; r++) {
      for (int t = 0; t < 4; t++) {
        long start = 10_000L * r + 5 * t;
        rounds.add(RowFactory.create(r, t, t, "exec-" + t, start, start + ms[r][t], t < 3, t < 3 ? 1.0 : null,
            t < 3 ? 64L : null, 1));
      }
    }
    appender.append(spark.createDataFrame(rounds, LakeTables.TRAIN_ROUNDS.dataSchema()), lake, LakeTables.TRAIN_ROUNDS,
        PartitionKey.of(LakeTables.TRAIN_ROUNDS, "s"));

    // data_efficiency of the probe run p.
    List<Row> efficiency = List.of(de(100, 1, 0.6, 1), de(100, 2, 0.7, 1), de(100, 3, 0.8, 1), de(100, 1, 0.65, 2),
        de(1000, 1, 0.8, 1), de(1000, 2, 0.9, 1));
    appender.append(spark.createDataFrame(efficiency, LakeTables.DATA_EFFICIENCY.dataSchema()), lake,
        LakeTables.DATA_EFFICIENCY, PartitionKey.of(LakeTables.DATA_EFFICIENCY, "sentiment-probe"));
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Row eval(String run, String metric, double value, int round, int second) {
    return RowFactory.create(run, "blobs", "test", metric, value, round, new Timestamp(1_700_000_000_000L + second * 1000L));
  }

  private static Row de(int n, int seed, double accuracy, int second) {
    return RowFactory.create("p", n, seed, "test", accuracy, new Timestamp(1_700_000_000_000L + second * 1000L));
  }

  private static List<Row> query(String... args) {
    QueryJob job = new QueryJob();
    List<String> all = new ArrayList<>(List.of("--lake", lake.root().toString()));
    all.addAll(List.of(args));
    new CommandLine(job).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(all.toArray(String[]::new));
    return QueryJob.run(spark, job.config()).collectAsList();
  }

  private static List<String> strings(List<Row> rows) {
    return rows.stream().map(r -> {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        cells.add(String.valueOf(r.get(i)));
      }
      return String.join(" ", cells);
    }).toList();
  }

  @Test
  void bestRunsJudgesFinalEvaluationsAndKnowsWhichMetricsAreBetterLow() {
    assertEquals(List.of(
            "lfads blobs test nll y 1.0 3 2",
            "lfads blobs test r2 y 0.8 3 2",
            "mlp blobs test accuracy b 0.9 10 3",
            "mlp blobs test loss a 0.5 10 2"),
        strings(query("--name", "best_runs")));
  }

  @Test
  void learningCurveIsOneRowPerRoundSplitAndMetricTheLatestWinning() {
    assertEquals(List.of("5 test accuracy 0.6 mlp blobs", "10 test accuracy 0.82 mlp blobs", "10 test loss 0.5 mlp blobs"),
        strings(query("--name", "learning_curve", "--param", "run_id=a")));
  }

  @Test
  void stragglerStatisticsMatchAnIndependentComputation() {
    List<Row> rows = query("--name", "stragglers");
    assertEquals(1, rows.size());
    Row s = rows.get(0);
    long[] all = {100, 120, 130, 400, 90, 110, 150, 1000};
    assertEquals("s", s.getAs("run_id"));
    assertEquals(2L, (long) s.getAs("rounds"));
    assertEquals(8L, (long) s.getAs("tasks"));
    assertEquals(2L, (long) s.getAs("dropped"));
    assertEquals(0.25, ((Number) s.getAs("dropped_fraction")).doubleValue(), 1e-12);
    assertEquals(percentile(all, 0.5), s.<Double>getAs("p50_task_ms"), 0.051);
    assertEquals(percentile(all, 0.95), s.<Double>getAs("p95_task_ms"), 0.051);
    assertEquals(percentile(all, 0.99), s.<Double>getAs("p99_task_ms"), 0.051);
    assertEquals(1000L, (long) s.getAs("max_task_ms"));
    // Round time: first start to last accepted end: round 0 = 10 + 130, round 1 = 10 + 150.
    assertEquals(150.0, s.<Double>getAs("p50_round_ms"), 1e-9);
  }

  @Test
  void dataEfficiencyAveragesSeedsPerExampleCount() {
    List<Row> rows = query("--name", "data_efficiency", "--param", "run_id=p");
    assertEquals(2, rows.size());
    Row small = rows.get(0);
    assertEquals("sentiment-probe", small.getAs("model"));
    assertEquals(100, (int) small.getAs("n_examples"));
    assertEquals(3L, (long) small.getAs("seeds"));
    double[] acc = {0.65, 0.7, 0.8};
    double mean = Arrays.stream(acc).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(acc).map(a -> (a - mean) * (a - mean)).sum() / 2);
    assertEquals(mean, small.<Double>getAs("mean_accuracy"), 5e-5);
    assertEquals(sd, small.<Double>getAs("std_accuracy"), 5e-5);
    assertEquals(0.65, small.<Double>getAs("min_accuracy"), 1e-12);
    assertEquals(1000, (int) rows.get(1).getAs("n_examples"));
    assertEquals(0.85, rows.get(1).<Double>getAs("mean_accuracy"), 1e-12);
  }

  @Test
  void everyShippedQueryFileHasAnEntryAndEveryEntryItsFile() throws Exception {
    Path queries = projectRoot().resolve("conf/queries");
    try (var files = Files.list(queries)) {
      assertEquals(Arrays.stream(NamedQuery.values()).map(q -> q.queryName() + ".sql").sorted().toList(),
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList());
    }
    for (NamedQuery q : NamedQuery.values()) {
      assertTrue(q.template().text().contains("SELECT"), q.queryName());
    }
  }

  @Test
  void adHocSqlRunsInTheCatalogDatabaseWithTablesByName() {
    assertEquals(List.of("lfads 4", "mlp 8"), strings(query("--sql",
        "SELECT model, count(*) FROM evaluations GROUP BY model ORDER BY model")));
    assertEquals("neurolake", spark.catalog().currentDatabase());
    assertTrue(spark.catalog().tableExists("neurolake", "data_efficiency"));
  }

  @Test
  void missingUnknownAndInvalidQueriesFailWithTheReason() {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> query("--name", "learning_curve"));
    assertEquals("the query from --name learning_curve needs --param run_id=VALUE", missing.getMessage());
    IllegalArgumentException unused = assertThrows(IllegalArgumentException.class,
        () -> query("--name", "best_runs", "--param", "run=a"));
    assertEquals("the query from --name best_runs has no parameter run (it takes none)", unused.getMessage());
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class, () -> query("--name", "best"));
    assertTrue(unknown.getMessage().startsWith("no shipped query 'best'; the shipped ones are best_runs, "),
        unknown.getMessage());
    IllegalArgumentException invalid = assertThrows(IllegalArgumentException.class, () -> query("--sql", "SELEC 1"));
    assertTrue(invalid.getMessage().startsWith("the query from --sql is not valid SQL"), invalid.getMessage());
  }

  @Test
  void aParameterCannotEndItsStringLiteral() {
    List<Row> rows = query("--name", "learning_curve", "--param", "run_id=a' OR '1'='1");
    assertEquals(List.of(), rows);
  }

  /** Spark's percentile: linear interpolation between the order statistics around p * (n - 1). */
  private static double percentile(long[] values, double p) {
    long[] v = values.clone();
    Arrays.sort(v);
    double pos = p * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = (int) Math.ceil(pos);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }

  private static Path projectRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("bin/pipeline"))) {
      p = p.getParent();
    }
    assertTrue(p != null, "project root above " + Path.of("").toAbsolutePath());
    return p;
  }
}
