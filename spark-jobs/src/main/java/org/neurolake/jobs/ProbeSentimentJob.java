package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
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
import org.neurolake.sentiment.CrossValidatedProtocol;
import org.neurolake.sentiment.CrossValidationResult;
import org.neurolake.sentiment.ProbeProtocol;
import org.neurolake.sentiment.StratifiedFolds;
import org.neurolake.sentiment.TextBaselines;
import org.neurolake.sentiment.ProbeSolverChoice;
import org.neurolake.sentiment.TransferScore;
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
            + " checkpoints.",
        "Sources without a dev split: --protocol held-out (train/test, or --test-source) or kfold (stratified"
            + " --folds, C chosen by --inner-folds cross-validation inside each training part), the baselines on the"
            + " same documents, folds and parts; per-fold accuracy and C, and transfer rows (transfer_accuracy_mean/std,"
            + " split = the protocol) of each model into evaluations.",
        "Fits run in-process with LIBLINEAR (L1R_LR) up to --max-in-process-values training values, with MLlib above"
            + " (--solver)."})
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

  @Option(names = "--protocol", defaultValue = "auto", description = "fixed (train/dev/test, C chosen on dev),"
      + " held-out (train and test, C by inner cross-validation on train), kfold (stratified k-fold over every"
      + " labeled document) or auto: fixed when the source's features have all three splits, held-out with"
      + " --test-source or train and test only, else kfold (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(names = "--folds", defaultValue = "10", description = "k of the k-fold protocol (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(names = "--inner-folds", defaultValue = "3",
      description = "Folds of the inner cross-validation that chooses C inside each training part (default:"
          + " ${DEFAULT-VALUE}).")
  int innerFolds;

  @Option(names = "--cv-seed", defaultValue = "1", description = "Seed of the fold assignment (default: ${DEFAULT-VALUE}).")
  long cvSeed;

  @Option(names = "--test-source", description = "Score on this source's labeled features (every split) instead,"
      + " training on --source's (every split): the held-out protocol across sources.")
  String testSource;

  @Option(names = "--solver", defaultValue = "auto", description = "Probe solver: liblinear (in-process), mllib, or"
      + " auto: liblinear up to --max-in-process-values training values, mllib above (default: ${DEFAULT-VALUE}).")
  String solver;

  @Option(names = "--max-in-process-values", defaultValue = "16000000",
      description = "Largest training set (examples x features) --solver auto fits in-process (default:"
          + " ${DEFAULT-VALUE}).")
  long maxInProcessValues;

  /**
   * @param protocol the requested protocol; empty: chosen from the features present ({@link #protocolFor})
   * @param testSource the source scored under the held-out protocol across sources, or null
   */
  public record Config(Lake lake, String runId, String source, List<Double> grid, int seeds, int maxIter,
      int parallelism, int hashFeatures, boolean baselines, Path checkpointDir, Path plots,
      Optional<ProbeProtocol> protocol, int folds, int innerFolds, long cvSeed, String testSource,
      ProbeSolverChoice solvers) {
    public Config {
      if (folds < 2 || innerFolds < 2) {
        throw new IllegalArgumentException("--folds and --inner-folds must be >= 2, got " + folds + ", " + innerFolds);
      }
      if (testSource != null) {
        PartitionKey.requireSafe(testSource);
        if (protocol.isPresent() && protocol.get() != ProbeProtocol.HELD_OUT) {
          throw new IllegalArgumentException("--test-source needs the held-out protocol, not " + protocol.get());
        }
      }
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

  /**
   * The figures written to evaluations, the sentiment unit written beside the checkpoints (fixed
   * protocol only; null under the cross-validated ones, which fit one probe per fold), and the plots.
   */
  public record Result(ProbeProtocol protocol, List<Metric> metrics, SentimentUnit unit, List<Path> plots) {
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
    Optional<ProbeProtocol> requested = protocol.equalsIgnoreCase("auto") ? Optional.empty()
        : Optional.of(ProbeProtocol.parse(protocol));
    ProbeSolverChoice solvers = new ProbeSolverChoice(ProbeSolverChoice.Mode.parse(solver), maxInProcessValues);
    return new Config(lake, runId, source, RegularizationGrid.grid(log2C), seeds, maxIter, parallelism, hashFeatures,
        !noBaselines, ckpt, p, requested, folds, innerFolds, cvSeed, testSource, solvers);
  }

  /**
   * The protocol asked for, or the one the committed features allow: held-out across sources with a
   * test source; fixed with train, dev and test; held-out with train and test; else k-fold.
   */
  public static ProbeProtocol protocolFor(Config cfg, Set<Split> committed) {
    if (cfg.protocol().isPresent()) {
      return cfg.protocol().get();
    }
    if (cfg.testSource() != null) {
      return ProbeProtocol.HELD_OUT;
    }
    if (committed.containsAll(EnumSet.allOf(Split.class))) {
      return ProbeProtocol.FIXED;
    }
    return committed.contains(Split.TRAIN) && committed.contains(Split.TEST) ? ProbeProtocol.HELD_OUT
        : ProbeProtocol.KFOLD;
  }

  /** The splits of {@code source} whose features the run committed. */
  private static Set<Split> committedSplits(SparkSession spark, Config cfg, String source) {
    Set<Split> out = EnumSet.noneOf(Split.class);
    for (Split s : Split.values()) {
      if (ExtractFeaturesJob.committed(spark.sparkContext().hadoopConfiguration(), cfg.lake(), cfg.runId(), source, s)) {
        out.add(s);
      }
    }
    return out;
  }

  /** Reads the run's features (and the documents, for the baselines), probes them, writes what was found. */
  public static Result run(SparkSession spark, Config cfg) {
    ProbeProtocol protocol = protocolFor(cfg, committedSplits(spark, cfg, cfg.source()));
    return protocol == ProbeProtocol.FIXED ? runFixed(spark, cfg) : runCrossValidated(spark, cfg, protocol);
  }

  /**
   * The held-out and k-fold protocols, for the mLSTM's features and (unless --no-baselines) the
   * bag-of-words and byte n-gram baselines on the same documents: the same folds or train/test parts,
   * C chosen by inner cross-validation inside each training part ({@link CrossValidatedProtocol});
   * per-fold and transfer rows of each into evaluations.
   */
  private static Result runCrossValidated(SparkSession spark, Config cfg, ProbeProtocol protocol) {
    Consumer<String> progress = line -> System.out.println("probe-sentiment " + cfg.runId() + ": " + line);
    CrossValidatedProtocol cv = new CrossValidatedProtocol(cfg.grid(), cfg.folds(), cfg.innerFolds(), cfg.cvSeed(),
        cfg.solvers(), cfg.maxIter(), cfg.parallelism());
    TextBaselines featurizers = new TextBaselines(cfg.grid(), cfg.maxIter(), cfg.hashFeatures(), cfg.parallelism());
    String task = cfg.testSource() != null ? cfg.testSource() : cfg.source();
    CrossValidationResult found;
    Map<String, CrossValidationResult> baselines = new LinkedHashMap<>();
    if (protocol == ProbeProtocol.HELD_OUT) {
      Documents train = cfg.testSource() != null ? pooled(spark, cfg, cfg.source())
          : documents(spark, cfg.lake(), cfg.runId(), cfg.source(), Split.TRAIN);
      Documents test = cfg.testSource() != null ? pooled(spark, cfg, cfg.testSource())
          : documents(spark, cfg.lake(), cfg.runId(), cfg.source(), Split.TEST);
      found = cv.heldOut(spark, SentimentModels.PROBE, train.features(), test.features(), progress);
      if (cfg.baselines()) {
        LabeledTexts trainTexts = texts(spark, cfg, cfg.source(), train);
        LabeledTexts testTexts = texts(spark, cfg, task, test);
        for (String model : TextBaselines.MODELS) {
          baselines.put(model, cv.heldOut(spark, model, featurizers.featurize(spark, model, trainTexts),
              featurizers.featurize(spark, model, testTexts), progress));
        }
      }
    } else {
      Documents all = pooled(spark, cfg, cfg.source());
      StratifiedFolds folds = cv.folds(all.features().labels());
      found = cv.kFold(spark, SentimentModels.PROBE, all.features(), folds, progress);
      if (cfg.baselines()) {
        LabeledTexts texts = texts(spark, cfg, cfg.source(), all);
        for (String model : TextBaselines.MODELS) {
          baselines.put(model, cv.kFold(spark, model, featurizers.featurize(spark, model, texts), folds, progress));
        }
      }
    }
    List<Metric> metrics = new ArrayList<>(found.foldMetrics(task));
    metrics.addAll(TransferScore.of(SentimentModels.PROBE, found.label(), found.probe()).metrics(task));
    metrics.addAll(TransferScore.of(SentimentModels.UNIT, found.label(), found.unit()).metrics(task));
    progress.accept(String.format(Locale.ROOT, "%s: probe test accuracy %.4f +- %.4f, unit %.4f +- %.4f",
        found.label(), found.probe().mean(), found.probe().std(), found.unit().mean(), found.unit().std()));
    baselines.forEach((model, r) -> {
      metrics.addAll(r.foldMetrics(task, model));
      metrics.addAll(TransferScore.of(model, r.label(), r.probe()).metrics(task));
      progress.accept(String.format(Locale.ROOT, "%s: %s test accuracy %.4f +- %.4f", r.label(), model,
          r.probe().mean(), r.probe().std()));
    });
    EvaluationsTable.append(spark, cfg.lake(), cfg.runId(), null, metrics);
    return new Result(protocol, metrics, null, List.of());
  }

  /** Every committed split's labeled features of {@code source}, concatenated (train, dev, test). */
  private static Documents pooled(SparkSession spark, Config cfg, String source) {
    List<Documents> parts = new ArrayList<>();
    for (Split s : committedSplits(spark, cfg, source)) {
      labeled(spark, cfg.lake(), cfg.runId(), source, s).ifPresent(parts::add);
    }
    if (parts.isEmpty()) {
      throw new IllegalArgumentException("features hold no labeled document of run " + cfg.runId() + ", source "
          + source + ": run extract-features --source " + source + " first");
    }
    List<String> ids = new ArrayList<>();
    parts.forEach(p -> ids.addAll(p.docIds()));
    return new Documents(ids, LabeledFeatures.concat(parts.stream().map(Documents::features).toList()));
  }

  /** Labeled features and the ids of their documents, in the same order. */
  private record Documents(List<String> docIds, LabeledFeatures features) {
    Documents {
      docIds = List.copyOf(docIds);
      if (docIds.size() != features.size()) {
        throw new IllegalArgumentException(docIds.size() + " doc ids for " + features.size() + " feature vectors");
      }
    }
  }

  /** The fixed protocol: the source's train/dev/test features, C chosen on dev (as before the other protocols). */
  private static Result runFixed(SparkSession spark, Config cfg) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    BySplit<LabeledFeatures> features = new BySplit<>(features(spark, cfg, Split.TRAIN),
        features(spark, cfg, Split.DEV), features(spark, cfg, Split.TEST));
    Optional<BySplit<LabeledTexts>> texts = cfg.baselines()
        ? Optional.of(new BySplit<>(texts(spark, cfg, Split.TRAIN), texts(spark, cfg, Split.DEV),
            texts(spark, cfg, Split.TEST)))
        : Optional.empty();

    SentimentProbeResult found = new SentimentProbe(cfg.grid(), cfg.seeds(), cfg.maxIter(), cfg.parallelism(),
        cfg.hashFeatures(), cfg.solvers()).apply(spark, cfg.source(), features, texts,
            line -> System.out.println("probe-sentiment " + cfg.runId() + ": " + line));

    SentimentUnit unit = found.unit().toFile(cfg.runId(), cfg.source());
    unit.write(conf, cfg.checkpointDir());
    List<Path> plots = List.of(
        SentimentPlots.unitHistogram(conf, new Path(cfg.plots(), "sentiment_unit_histogram.png"),
            found.unitHistogram()),
        SentimentPlots.dataEfficiency(conf, new Path(cfg.plots(), "data_efficiency.png"),
            Map.of(SentimentModels.PROBE, found.dataEfficiencyCurve())));
    List<Metric> metrics = new ArrayList<>(found.metrics());
    TransferScore.ofFixed(found).forEach(t -> metrics.addAll(t.metrics(cfg.source())));
    EvaluationsTable.append(spark, cfg.lake(), cfg.runId(), null, metrics);
    appendDataEfficiency(spark, cfg, found.dataEfficiency());
    return new Result(ProbeProtocol.FIXED, metrics, unit, plots);
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

  /** The train, dev and test features of {@code source} under run {@code runId} (the fixed protocol's data). */
  public static BySplit<LabeledFeatures> fixedSplits(SparkSession spark, Lake lake, String runId, String source) {
    return new BySplit<>(features(spark, lake, runId, source, Split.TRAIN),
        features(spark, lake, runId, source, Split.DEV), features(spark, lake, runId, source, Split.TEST));
  }

  /** One split's labeled features, in doc-id order (so a rerun fits on the same rows in the same order). */
  private static LabeledFeatures features(SparkSession spark, Lake lake, String runId, String source, Split split) {
    return documents(spark, lake, runId, source, split).features();
  }

  /** One committed split's labeled features with their doc ids, in doc-id order. */
  private static Documents documents(SparkSession spark, Lake lake, String runId, String source, Split split) {
    if (!ExtractFeaturesJob.committed(spark.sparkContext().hadoopConfiguration(), lake, runId, source, split)) {
      throw new IllegalArgumentException("features has no committed partition run_id=" + runId + "/source="
          + source + "/split=" + split.value() + ": run extract-features first");
    }
    return labeled(spark, lake, runId, source, split).orElseThrow(() -> new IllegalArgumentException("the "
        + split.value() + " features of " + source + " hold no labeled document"));
  }

  private static LabeledFeatures features(SparkSession spark, Config cfg, Split split) {
    return features(spark, cfg.lake(), cfg.runId(), cfg.source(), split);
  }

  /** A committed split's labeled features of {@code source} in doc-id order; empty when none is labeled. */
  private static Optional<Documents> labeled(SparkSession spark, Lake lake, String runId, String source,
      Split split) {
    List<Row> rows = spark.read().parquet(lake.partitionPath(LakeTables.DOCUMENT_FEATURES,
            ExtractFeaturesJob.partition(runId, source, split)).toString())
        .where(col(Columns.LABEL).isNotNull()).orderBy(Columns.DOC_ID)
        .select(Columns.DOC_ID, Columns.LABEL, Columns.CELL_STATE).collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    float[][] x = new float[rows.size()][];
    int[] y = new int[rows.size()];
    List<String> ids = new ArrayList<>(rows.size());
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
    return Optional.of(new Documents(ids, new LabeledFeatures(x, y)));
  }

  /**
   * The texts of {@code featured}'s documents (from {@code source}'s documents), in the same order, so
   * a baseline is cut into the same folds as the features; fails naming a featured document missing
   * from documents or labeled differently there.
   */
  private static LabeledTexts texts(SparkSession spark, Config cfg, String source, Documents featured) {
    List<Row> rows = TableReader.read(spark, cfg.lake(), LakeTables.DOCUMENTS)
        .where(col(Columns.SOURCE).equalTo(source).and(col(Columns.LABEL).isNotNull()))
        .select(Columns.DOC_ID, Columns.LABEL, Columns.TEXT_BYTES).collectAsList();
    Map<String, Row> byId = new HashMap<>(rows.size() * 2);
    for (Row r : rows) {
      if (byId.put(r.getString(0), r) != null) {
        throw new IllegalArgumentException("documents source=" + source + " holds doc id " + r.getString(0)
            + " twice");
      }
    }
    int[] labels = featured.features().labels();
    List<byte[]> texts = new ArrayList<>(labels.length);
    for (int i = 0; i < labels.length; i++) {
      String id = featured.docIds().get(i);
      Row r = byId.get(id);
      if (r == null) {
        throw new IllegalArgumentException("document " + id + " has features but no labeled row in documents source="
            + source + " for the baselines");
      }
      if (r.getInt(1) != labels[i]) {
        throw new IllegalArgumentException("document " + id + " has label " + labels[i] + " in features and "
            + r.getInt(1) + " in documents source=" + source);
      }
      texts.add((byte[]) r.get(2));
    }
    return new LabeledTexts(texts, labels);
  }

  /** One split's labeled documents of the source, for the fixed protocol's baselines. */
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
    System.out.println("protocol: " + r.protocol());
    r.metrics().forEach(m -> System.out.printf(java.util.Locale.ROOT, "probe-sentiment %s: %-15s %-5s %-22s %s%n",
        cfg.runId(), m.model(), m.split(), m.metric(), m.value()));
    if (r.unit() != null) {
      System.out.println("sentiment unit: " + r.unit());
      System.out.println("plots: " + r.plots());
    }
    catalog.registerWritten(spark, LakeTables.EVALUATIONS, LakeTables.DATA_EFFICIENCY);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new ProbeSentimentJob(), args);
  }
}
