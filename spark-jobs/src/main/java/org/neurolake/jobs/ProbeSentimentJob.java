package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.Split;
import org.neurolake.sentiment.BySplit;
import org.neurolake.sentiment.DataEfficiencyPoint;
import org.neurolake.sentiment.LabeledFeatures;
import org.neurolake.sentiment.LabeledTexts;
import org.neurolake.sentiment.RegularizationGrid;
import org.neurolake.sentiment.SentimentModels;
import org.neurolake.sentiment.SentimentPlots;
import org.neurolake.sentiment.SentimentProbe;
import org.neurolake.sentiment.SentimentProbeResult;
import org.neurolake.sentiment.SentimentUnit;
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

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

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

  /** The figures written to evaluations, the sentiment unit written beside the checkpoints, and the plots. */
  public record Result(List<Metric> metrics, SentimentUnit unit, List<Path> plots) {
    public Result {
      metrics = List.copyOf(metrics);
      plots = List.copyOf(plots);
    }

    /** The value of {@code metric} on {@code split} for {@code model} (an evaluations partition). */
    public double get(String model, String split, String metric) {
      return metrics.stream()
          .filter(m -> m.model().equals(model) && m.split().equals(split) && m.metric().equals(metric))
          .mapToDouble(Metric::value).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no " + split + " " + metric + " for " + model + " in "
              + metrics));
    }
  }

  public Config config() {
    Lake lake = common.lake();
    String runId = run.runId();
    Path ckpt = run.checkpointDir(lake);
    Path p = plots != null ? new Path(HadoopPaths.toUri(plots))
        : new Path(ReportJob.runDirectory(lake, runId), ReportJob.MODEL_PLOTS);
    return new Config(lake, runId, source, RegularizationGrid.grid(log2C), seeds, maxIter, parallelism, hashFeatures,
        !noBaselines, ckpt, p);
  }

  /** Reads the run's features (and the documents, for the baselines), probes them, writes what was found. */
  public static Result run(SparkSession spark, Config cfg) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    BySplit<LabeledFeatures> features = new BySplit<>(features(spark, cfg, Split.TRAIN),
        features(spark, cfg, Split.DEV), features(spark, cfg, Split.TEST));
    Optional<BySplit<LabeledTexts>> texts = cfg.baselines()
        ? Optional.of(new BySplit<>(texts(spark, cfg, Split.TRAIN), texts(spark, cfg, Split.DEV),
            texts(spark, cfg, Split.TEST)))
        : Optional.empty();

    SentimentProbeResult found = new SentimentProbe(cfg.grid(), cfg.seeds(), cfg.maxIter(), cfg.parallelism(),
        cfg.hashFeatures()).apply(spark, cfg.source(), features, texts,
            line -> System.out.println("probe-sentiment " + cfg.runId() + ": " + line));

    SentimentUnit unit = found.unit().toFile(cfg.runId(), cfg.source());
    unit.write(conf, cfg.checkpointDir());
    List<Path> plots = List.of(
        SentimentPlots.unitHistogram(conf, new Path(cfg.plots(), "sentiment_unit_histogram.png"),
            found.unitHistogram()),
        SentimentPlots.dataEfficiency(conf, new Path(cfg.plots(), "data_efficiency.png"),
            Map.of(SentimentModels.PROBE, found.dataEfficiencyCurve())));
    List<Metric> metrics = found.metrics();
    EvaluationsTable.append(spark, cfg.lake(), cfg.runId(), null, metrics);
    appendDataEfficiency(spark, cfg, found.dataEfficiency());
    return new Result(metrics, unit, plots);
  }

  /** One row per point and split (test, then dev), in partition model=mlstm-probe. */
  private static void appendDataEfficiency(SparkSession spark, Config cfg, List<DataEfficiencyPoint> points) {
    Timestamp now = new Timestamp(System.currentTimeMillis());
    List<Row> rows = new ArrayList<>(2 * points.size());
    for (DataEfficiencyPoint p : points) {
      rows.add(RowFactory.create(cfg.runId(), p.examples(), p.seed(), Split.TEST.value(), p.testAccuracy(), now));
      rows.add(RowFactory.create(cfg.runId(), p.examples(), p.seed(), Split.DEV.value(), p.devAccuracy(), now));
    }
    new TableAppender(spark.sparkContext().hadoopConfiguration()).append(
        spark.createDataFrame(rows, LakeTables.DATA_EFFICIENCY.dataSchema()), cfg.lake(), LakeTables.DATA_EFFICIENCY,
        PartitionKey.of(LakeTables.DATA_EFFICIENCY, SentimentModels.PROBE));
  }

  /** One split's labeled features, in doc-id order (so a rerun fits on the same rows in the same order). */
  private static LabeledFeatures features(SparkSession spark, Config cfg, Split split) {
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
    float[][] x = new float[rows.size()][];
    int[] y = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
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
    return new LabeledFeatures(x, y);
  }

  /** One split's labeled documents of the source, for the baselines. */
  private static LabeledTexts texts(SparkSession spark, Config cfg, Split split) {
    List<Row> rows = TableReader.read(spark, cfg.lake(), LakeTables.DOCUMENTS)
        .where(col(Columns.SOURCE).equalTo(cfg.source()).and(col(Columns.SPLIT).equalTo(split.value())))
        .where(col(Columns.LABEL).isNotNull()).select(Columns.LABEL, Columns.TEXT_BYTES).collectAsList();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no labeled " + split.value() + " documents of " + cfg.source()
          + " for the baselines");
    }
    List<byte[]> bytes = new ArrayList<>(rows.size());
    int[] labels = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      labels[i] = rows.get(i).getInt(0);
      bytes.add((byte[]) rows.get(i).get(1));
    }
    return new LabeledTexts(bytes, labels);
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
    r.metrics().forEach(m -> System.out.printf(java.util.Locale.ROOT, "probe-sentiment %s: %-15s %-5s %-22s %s%n",
        cfg.runId(), m.model(), m.split(), m.metric(), m.value()));
    System.out.println("sentiment unit: " + r.unit());
    System.out.println("plots: " + r.plots());
    catalog.registerWritten(spark, LakeTables.EVALUATIONS, LakeTables.DATA_EFFICIENCY);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new ProbeSentimentJob(), args);
  }
}
