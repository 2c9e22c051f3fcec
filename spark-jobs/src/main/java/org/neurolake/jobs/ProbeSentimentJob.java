package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.Split;
import org.neurolake.sentiment.GridFits;
import org.neurolake.sentiment.L1Logistic;
import org.neurolake.sentiment.LabeledSubsets;
import org.neurolake.sentiment.LinearProbe;
import org.neurolake.sentiment.RegularizationGrid;
import org.neurolake.sentiment.SentimentModels;
import org.neurolake.sentiment.SentimentPlots;
import org.neurolake.sentiment.SentimentUnit;
import org.neurolake.sentiment.TextBaselines;
import org.neurolake.sentiment.ThresholdClassifier;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "probe-sentiment", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "The sentiment neuron paper's probe on a run's features of a labeled source: L1-regularized logistic"
            + " regression (Spark MLlib, elasticNetParam=1, no standardization) over the paper's grid C = 2^-8..2^0"
            + " (regParam = 1/(C n)), C chosen on dev, fit on train; test and dev accuracy and non-zero weights.",
        "Also: the data-efficiency curve (8, 16, ..., all labeled training examples, several seeds, C chosen on dev"
            + " each time) into data_efficiency; the sentiment unit (largest |weight|) with its one-threshold"
            + " accuracy and histogram; hashed bag-of-words and byte 1-3-gram baselines on the same split.",
        "Writes evaluations (model=mlstm-probe, mlstm-unit, bow-baseline, ngram-baseline), data_efficiency"
            + " (model=mlstm-probe), PNGs in <lake>/reports/<run-id>/plots and sentiment_unit.json beside the run's"
            + " checkpoints."})
public final class ProbeSentimentJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--run-id", required = true, description = "The run whose features to probe.")
  String runId;

  @Option(names = "--source", required = true, description = "The labeled source (e.g. sst2).")
  String source;

  @Option(names = "--seeds", defaultValue = "5", description = "Seeds per data-efficiency size (default: ${DEFAULT-VALUE}).")
  int seeds;

  @Option(names = "--log2-c", split = ",", defaultValue = "-8,-7,-6,-5,-4,-3,-2,-1,0",
      description = "The penalty grid as exponents k of C = 2^k (default: the paper's, ${DEFAULT-VALUE}).")
  List<Integer> log2C;

  @Option(names = "--max-iter", defaultValue = "100", description = "MLlib iterations per fit (default: ${DEFAULT-VALUE}).")
  int maxIter;

  @Option(names = "--parallelism", defaultValue = "4",
      description = "Fits of the penalty grid run at once (default: ${DEFAULT-VALUE}).")
  int parallelism;

  @Option(names = "--hash-features", defaultValue = "262144",
      description = "Hashed features of the bag-of-words and n-gram baselines (default: ${DEFAULT-VALUE}).")
  int hashFeatures;

  @Option(names = "--no-baselines", description = "Skip the bag-of-words and n-gram baselines.")
  boolean noBaselines;

  @Option(names = "--checkpoint-dir", description = "The run's checkpoints (default: <lake>/checkpoints/<run-id>).")
  String checkpointDir;

  @Option(names = "--plots", description = "Plot folder (default: <lake>/reports/<run-id>/plots).")
  String plots;

  public record Config(Lake lake, String runId, String source, List<Double> grid, int seeds, int maxIter,
      int parallelism, int hashFeatures, boolean baselines, Path checkpointDir, Path plots) {
    public Config {
      if (grid.isEmpty()) {
        throw new IllegalArgumentException("--log2-c names no penalty");
      }
      grid = List.copyOf(grid);
      PartitionKey.requireSafe(runId);
      PartitionKey.requireSafe(source);
      if (seeds < 1 || maxIter < 1 || parallelism < 1 || hashFeatures < 2) {
        throw new IllegalArgumentException("--seeds, --max-iter and --parallelism must be >= 1 and --hash-features"
            + " >= 2, got " + seeds + ", " + maxIter + ", " + parallelism + ", " + hashFeatures);
      }
    }
  }

  /** The figures by model then metric ("split/metric"), and the plots written. */
  public record Result(Map<String, Map<String, Double>> metrics, SentimentUnit unit, List<Path> plots) {
    public double get(String model, String split, String metric) {
      Double v = metrics.getOrDefault(model, Map.of()).get(split + "/" + metric);
      if (v == null) {
        throw new IllegalArgumentException("no " + split + "/" + metric + " for " + model + " in " + metrics);
      }
      return v;
    }
  }

  public Config config() {
    Lake lake = common.lake();
    Path ckpt = checkpointDir != null ? new Path(HadoopPaths.toUri(checkpointDir))
        : TrainingRun.Config.defaultCheckpointDir(lake, runId);
    Path p = plots != null ? new Path(HadoopPaths.toUri(plots))
        : new Path(ReportJob.runDirectory(lake, PartitionKey.requireSafe(runId)), ReportJob.MODEL_PLOTS);
    return new Config(lake, runId, source, RegularizationGrid.grid(log2C), seeds, maxIter, parallelism, hashFeatures,
        !noBaselines, ckpt, p);
  }

  /** One split's features on the driver, in doc-id order. */
  record Local(List<String> docIds, float[][] x, int[] y) {
    int size() {
      return y.length;
    }
  }

  private static final StructType VECTORS = new StructType()
      .add("label", DataTypes.DoubleType, false)
      .add("features", SQLDataTypes.VectorType(), false);

  public static Result run(SparkSession spark, Config cfg) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Map<Split, Local> local = new LinkedHashMap<>();
    for (Split s : Split.values()) {
      local.put(s, collect(spark, cfg, s));
    }
    Local train = local.get(Split.TRAIN);
    Local dev = local.get(Split.DEV);
    Local test = local.get(Split.TEST);
    Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();

    // The probe on all labeled training examples.
    Choice full = chooseOnDev(spark, train, dev, cfg.grid(), cfg.maxIter(), cfg.parallelism());
    System.out.printf(java.util.Locale.ROOT, "probe-sentiment %s: probe on %d examples, C = %s chosen on dev"
        + " (accuracy %.4f), %d non-zero weights%n", cfg.runId(), train.size(), full.c(), full.devAccuracy(),
        full.probe().nonZeroWeights());
    put(metrics, SentimentModels.PROBE, "dev", "accuracy", full.devAccuracy());
    put(metrics, SentimentModels.PROBE, "test", "accuracy", full.probe().accuracy(test.x(), test.y()));
    put(metrics, SentimentModels.PROBE, "train", "nonzero_weights", full.probe().nonZeroWeights());
    put(metrics, SentimentModels.PROBE, "train", "c", full.c());
    put(metrics, SentimentModels.PROBE, "train", "reg_param", RegularizationGrid.regParam(full.c(), train.size()));
    put(metrics, SentimentModels.PROBE, "train", "examples", train.size());
    full.devByC().forEach((c, acc) -> put(metrics, SentimentModels.PROBE, "dev", "accuracy_c=2^"
        + Math.getExponent(c), acc));

    // The sentiment unit: the largest |weight| of the chosen probe, thresholded alone. When the penalty
    // chosen on dev zeroes every weight (a constant predictor won), the least penalized probe names it.
    LinearProbe unitProbe = full.probe();
    if (unitProbe.largestWeight() < 0) {
      List<Double> cs = new ArrayList<>(full.probes().keySet());
      java.util.Collections.reverse(cs);
      unitProbe = cs.stream().map(full.probes()::get).filter(p -> p.largestWeight() >= 0).findFirst()
          .orElseThrow(() -> new IllegalStateException("no probe of the grid " + cfg.grid()
              + " has a non-zero weight: no sentiment unit (try larger C with --log2-c)"));
      System.out.printf("probe-sentiment %s: the chosen probe (C=%s) has no non-zero weight; the sentiment unit"
          + " comes from the least penalized probe%n", cfg.runId(), full.c());
    }
    int unit = unitProbe.largestWeight();
    ThresholdClassifier threshold = ThresholdClassifier.fit(column(train, unit), train.y());
    double unitTest = threshold.accuracy(column(test, unit), test.y());
    put(metrics, SentimentModels.UNIT, "train", "unit", unit);
    put(metrics, SentimentModels.UNIT, "train", "weight", unitProbe.weight(unit));
    put(metrics, SentimentModels.UNIT, "train", "threshold", threshold.threshold());
    put(metrics, SentimentModels.UNIT, "train", "accuracy", threshold.accuracy(column(train, unit), train.y()));
    put(metrics, SentimentModels.UNIT, "dev", "accuracy", threshold.accuracy(column(dev, unit), dev.y()));
    put(metrics, SentimentModels.UNIT, "test", "accuracy", unitTest);
    SentimentUnit su = new SentimentUnit(cfg.runId(), cfg.source(), unit, unitProbe.weight(unit),
        threshold.threshold(), threshold.sign(), unitTest);
    su.write(conf, cfg.checkpointDir());

    List<Path> plots = new ArrayList<>();
    double[] testUnit = column(test, unit);
    plots.add(SentimentPlots.unitHistogram(conf, new Path(cfg.plots(), "sentiment_unit_histogram.png"), unit,
        select(testUnit, test.y(), 0), select(testUnit, test.y(), 1)));

    // Data efficiency: stratified subsets of the training examples, C chosen on dev for each.
    List<Row> efficiency = new ArrayList<>();
    Timestamp now = new Timestamp(System.currentTimeMillis());
    SortedMap<Integer, List<Double>> curve = new TreeMap<>();
    for (int n : LabeledSubsets.sizes(train.size())) {
      long t0 = System.nanoTime();
      int seedsHere = n == train.size() ? 1 : cfg.seeds();
      for (int seed = 0; seed < seedsHere; seed++) {
        Choice c = n == train.size() ? full : chooseOnDev(spark, subset(train, LabeledSubsets.sample(train.y(), n,
            seed)), dev, cfg.grid(), cfg.maxIter(), cfg.parallelism());
        double acc = c.probe().accuracy(test.x(), test.y());
        curve.computeIfAbsent(n, k -> new ArrayList<>()).add(acc);
        efficiency.add(RowFactory.create(cfg.runId(), n, seed, Split.TEST.value(), acc, now));
        efficiency.add(RowFactory.create(cfg.runId(), n, seed, Split.DEV.value(), c.devAccuracy(), now));
      }
      System.out.printf(java.util.Locale.ROOT, "probe-sentiment %s: %d labeled examples, %d seed(s): mean test"
          + " accuracy %.4f (%.0f s)%n", cfg.runId(), n, seedsHere,
          curve.get(n).stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
          (System.nanoTime() - t0) / 1e9);
    }
    Map<String, SortedMap<Integer, List<Double>>> curves = new LinkedHashMap<>();
    curves.put(SentimentModels.PROBE, curve);
    plots.add(SentimentPlots.dataEfficiency(conf, new Path(cfg.plots(), "data_efficiency.png"), curves));

    if (cfg.baselines()) {
      Map<Split, Dataset<Row>> documents = new LinkedHashMap<>();
      for (Split s : Split.values()) {
        documents.put(s, TableReader.read(spark, cfg.lake(), LakeTables.DOCUMENTS)
            .where(col(Columns.SOURCE).equalTo(cfg.source()).and(col(Columns.SPLIT).equalTo(s.value()))));
      }
      new TextBaselines(cfg.grid(), cfg.maxIter(), cfg.hashFeatures(), cfg.parallelism()).fit(spark, documents)
          .forEach((model, m) -> m.forEach((key, v) ->
              metrics.computeIfAbsent(model, k -> new LinkedHashMap<>()).put(key, v)));
    }

    TableAppender appender = new TableAppender(conf);
    List<org.neurolake.eval.Metric> rows = new ArrayList<>();
    metrics.forEach((model, m) -> m.forEach((key, v) -> {
      String[] splitMetric = key.split("/", 2);
      rows.add(new org.neurolake.eval.Metric(model, cfg.source(), splitMetric[0], splitMetric[1], v));
    }));
    org.neurolake.eval.EvaluationsTable.append(spark, cfg.lake(), cfg.runId(), null, rows);
    appender.append(spark.createDataFrame(efficiency, LakeTables.DATA_EFFICIENCY.dataSchema()), cfg.lake(),
        LakeTables.DATA_EFFICIENCY, PartitionKey.of(LakeTables.DATA_EFFICIENCY, SentimentModels.PROBE));
    return new Result(metrics, su, plots);
  }

  /** The penalty chosen on dev (ties: the smaller C, the sparser probe) and its probe fit on {@code train}. */
  record Choice(double c, LinearProbe probe, double devAccuracy, Map<Double, Double> devByC,
      Map<Double, LinearProbe> probes) {}

  static Choice chooseOnDev(SparkSession spark, Local train, Local dev, List<Double> grid, int maxIter,
      int parallelism) {
    Dataset<Row> data = vectors(spark, train).cache();
    try {
      List<LinearProbe> fitted = GridFits.map(grid, parallelism, c -> {
        LogisticRegressionModel m =
            L1Logistic.estimator(RegularizationGrid.regParam(c, train.size()), maxIter).fit(data);
        return new LinearProbe(m.coefficients().toArray(), m.intercept());
      });
      Choice best = null;
      Map<Double, Double> byC = new LinkedHashMap<>();
      Map<Double, LinearProbe> probes = new LinkedHashMap<>();
      for (int i = 0; i < grid.size(); i++) {
        double c = grid.get(i);
        LinearProbe p = fitted.get(i);
        double acc = p.accuracy(dev.x(), dev.y());
        byC.put(c, acc);
        probes.put(c, p);
        if (best == null || acc > best.devAccuracy()) {
          best = new Choice(c, p, acc, byC, probes);
        }
      }
      return best;
    } finally {
      data.unpersist();
    }
  }

  private static Local collect(SparkSession spark, Config cfg, Split split) {
    if (!ExtractFeaturesJob.committed(spark.sparkContext().hadoopConfiguration(), cfg.lake(), cfg.runId(),
        cfg.source(), split)) {
      throw new IllegalArgumentException("features has no committed partition run_id=" + cfg.runId() + "/source="
          + cfg.source() + "/split=" + split.value() + ": run extract-features first");
    }
    List<Row> rows = spark.read().parquet(cfg.lake().partitionPath(LakeTables.DOCUMENT_FEATURES,
            ExtractFeaturesJob.partition(cfg.runId(), cfg.source(), split)).toString())
        .where(col(Columns.LABEL).isNotNull()).orderBy(Columns.DOC_ID)
        .select(Columns.DOC_ID, Columns.LABEL, Columns.CELL_STATE).collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("the " + split.value() + " features of " + cfg.source() + " hold no labeled"
          + " document");
    }
    List<String> ids = new ArrayList<>(rows.size());
    float[][] x = new float[rows.size()][];
    int[] y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      ids.add(r.getString(0));
      y[i] = r.getInt(1);
      if (y[i] != 0 && y[i] != 1) {
        throw new IllegalArgumentException("document " + r.getString(0) + " has label " + y[i] + "; the probe is"
            + " binary (0 = negative, 1 = positive)");
      }
      List<Float> v = r.getList(2);
      x[i] = new float[v.size()];
      for (int j = 0; j < x[i].length; j++) {
        x[i][j] = v.get(j);
      }
    }
    return new Local(ids, x, y);
  }

  private static Dataset<Row> vectors(SparkSession spark, Local d) {
    List<Row> rows = new ArrayList<>(d.size());
    for (int i = 0; i < d.size(); i++) {
      double[] v = new double[d.x()[i].length];
      for (int j = 0; j < v.length; j++) {
        v[j] = d.x()[i][j];
      }
      rows.add(RowFactory.create((double) d.y()[i], Vectors.dense(v)));
    }
    return spark.createDataFrame(rows, VECTORS);
  }

  private static Local subset(Local d, int[] indices) {
    List<String> ids = new ArrayList<>(indices.length);
    float[][] x = new float[indices.length][];
    int[] y = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      ids.add(d.docIds().get(indices[k]));
      x[k] = d.x()[indices[k]];
      y[k] = d.y()[indices[k]];
    }
    return new Local(ids, x, y);
  }

  private static double[] column(Local d, int j) {
    double[] out = new double[d.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = d.x()[i][j];
    }
    return out;
  }

  private static double[] select(double[] values, int[] labels, int label) {
    return java.util.stream.IntStream.range(0, values.length).filter(i -> labels[i] == label)
        .mapToDouble(i -> values[i]).toArray();
  }

  private static void put(Map<String, Map<String, Double>> metrics, String model, String split, String metric,
      double value) {
    metrics.computeIfAbsent(model, k -> new LinkedHashMap<>()).put(split + "/" + metric, value);
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun d = new DryRun("probe-sentiment").lake(cfg.lake()).catalog(catalog);
      for (Split s : Split.values()) {
        d.reads("features", cfg.lake().partitionPath(LakeTables.DOCUMENT_FEATURES,
            ExtractFeaturesJob.partition(cfg.runId(), cfg.source(), s)));
      }
      if (cfg.baselines()) {
        d.reads("documents", cfg.lake().partitionPath(LakeTables.DOCUMENTS,
            PartitionKey.of(LakeTables.DOCUMENTS, cfg.source())));
      }
      return d.writes("evaluations", cfg.lake().tablePath(LakeTables.EVALUATIONS))
          .writes("data_efficiency", cfg.lake().partitionPath(LakeTables.DATA_EFFICIENCY,
              PartitionKey.of(LakeTables.DATA_EFFICIENCY, SentimentModels.PROBE)))
          .writes("the sentiment unit", SentimentUnit.path(cfg.checkpointDir()))
          .writes("plots", cfg.plots())
          .note(cfg.seeds() + " seeds per data-efficiency size, C grid " + cfg.grid())
          .print();
    }
    SparkSession spark = JobRunner.session("probe-sentiment " + cfg.runId(), catalog);
    Result r = run(spark, cfg);
    r.metrics().forEach((model, m) -> System.out.printf("probe-sentiment %s: %-15s %s%n", cfg.runId(), model, m));
    System.out.println("sentiment unit: " + r.unit());
    System.out.println("plots: " + r.plots());
    catalog.registerWritten(spark, LakeTables.EVALUATIONS, LakeTables.DATA_EFFICIENCY);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new ProbeSentimentJob(), args);
  }
}
