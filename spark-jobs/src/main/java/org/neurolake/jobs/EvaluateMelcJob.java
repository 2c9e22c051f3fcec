package org.neurolake.jobs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.melc.MelcCrossValidation;
import org.neurolake.melc.UciSet;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate-melc", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"MELC (exact, binned, sort-and-discard) vs MLlib LinearSVC and LogisticRegression on the UCI sets:"
        + " stratified k-fold CV (seeded), standardized on the training folds, MLlib regularization by inner CV ->"
        + " evaluations (models melc, melc_binned, melc_discard, linear_svc, logistic; split cv<k>). Print the table"
        + " with: query --name melc. --rbf adds LIBSVM's RBF-kernel SVM (model rbf_svc).",
        "Example: evaluate-melc --datasets sonar,wine"})
public final class EvaluateMelcJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin MelcOptions melc = new MelcOptions();

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "The UCI CSVs (default: $DATA_ROOT/uci, DATA_ROOT defaulting to ../shared/data).")
  Path dataDir;

  @Option(names = "--datasets", split = ",", description = "Sets to evaluate (default: all of them).")
  List<String> datasets = UciSet.ALL;

  @Option(names = "--folds", defaultValue = "5", description = "Outer folds (default: ${DEFAULT-VALUE}).")
  int folds;

  @Option(names = "--inner-folds", defaultValue = "3", description = "Inner folds for MLlib's regularization (default: ${DEFAULT-VALUE}).")
  int innerFolds;

  @Option(names = "--reg-grid", split = ",", defaultValue = "0.0001,0.001,0.01,0.1,1",
      description = "MLlib regParam grid (default: ${DEFAULT-VALUE}).")
  List<Double> regGrid;

  @Option(names = "--mllib-max-iter", defaultValue = "100",
      description = "maxIter of MLlib's LinearSVC and LogisticRegression (default: ${DEFAULT-VALUE}).")
  int mllibMaxIter;

  @Option(names = "--rbf", description = "Also evaluate an RBF-kernel SVM reference (LIBSVM's Java port, model rbf_svc):"
      + " C in {0.1,1,10,100} and gamma in {0.1,1,10}/d chosen by an inner CV (--inner-folds, balanced accuracy) on"
      + " the training folds.")
  boolean rbf;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the folds and MELC's starts (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--run-id", defaultValue = "melc-cv", description = "run_id of the evaluations rows (default: ${DEFAULT-VALUE}).")
  String runId;

  public record Config(Lake lake, Path dataDir, List<String> datasets, String runId, MelcCrossValidation.Config cv) {
    public Config {
      datasets = List.copyOf(datasets);
      datasets.forEach(PartitionKey::requireSafe);
      PartitionKey.requireSafe(runId);
    }
  }

  public Config config() {
    Path dir = dataDir != null ? dataDir
        : Path.of(System.getenv().getOrDefault("DATA_ROOT", "../shared/data")).resolve("uci");
    MelcCrossValidation.Config cv = new MelcCrossValidation.Config(folds, innerFolds, regGrid, mllibMaxIter, seed,
        melc.spec(1, seed).build());
    return new Config(common.lake(), dir, datasets, runId, rbf ? cv.withRbf() : cv);
  }

  /** Evaluates every set, appends its rows to evaluations, and returns all rows. */
  public static List<Metric> run(SparkSession spark, Config cfg) {
    List<Metric> all = new ArrayList<>();
    for (String name : cfg.datasets()) {
      UciSet set = UciSet.read(cfg.dataDir(), name);
      MelcCrossValidation.Config cv = cfg.cv();
      List<MelcCrossValidation.ModelScore> scores = MelcCrossValidation.run(spark, set, cv);
      for (MelcCrossValidation.ModelScore s : scores) {
        System.out.printf(Locale.ROOT, "%-34s %-13s bacc %.4f ± %.4f  thresholds %.1f  fit %.2f s%n", name, s.model(),
            s.balancedAccuracy(), s.balancedAccuracyStd(), s.thresholds(), s.fitSeconds());
      }
      List<Metric> metrics = MelcCrossValidation.metrics(name, cv.split(), scores);
      EvaluationsTable.append(spark, cfg.lake(), cfg.runId(), null, metrics);
      all.addAll(metrics);
    }
    return all;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("evaluate-melc").lake(cfg.lake()).catalog(catalog)
          .note("reads the UCI sets " + cfg.datasets() + " from " + cfg.dataDir())
          .writes("evaluations", cfg.lake().tablePath(LakeTables.EVALUATIONS))
          .print();
    }
    SparkSession spark = JobRunner.session("evaluate-melc", catalog);
    run(spark, cfg);
    catalog.registerWritten(spark, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new EvaluateMelcJob(), args);
  }
}
