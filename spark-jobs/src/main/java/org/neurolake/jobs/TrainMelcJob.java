package org.neurolake.jobs;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.classifier.ExamplesData;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.melc.BalancedAccuracy;
import org.neurolake.melc.DistributedMelc;
import org.neurolake.melc.MelcCrossValidation;
import org.neurolake.model.melc.Approximation;
import org.neurolake.model.melc.MelcSpec;
import org.neurolake.model.mlp.DenseShard;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train-melc", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"MELC on an examples dataset of any size: L-BFGS on the driver over the binned objective, each"
        + " evaluation one Spark aggregation (not the SGD engine); the decision rule from a training sample;"
        + " balanced accuracy on the test split -> evaluations (model melc_binned, split test).",
        "Example: train-melc --dataset blobs2 --epsilon 0.05"})
public final class TrainMelcJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();
  @Mixin MelcOptions melc = new MelcOptions();

  @Option(names = "--dataset", required = true, description = "The examples partition (make-examples --dataset).")
  String dataset;

  @Option(names = "--rule-sample", defaultValue = "20000",
      description = "Training rows the decision rule's class densities are estimated from (default: ${DEFAULT-VALUE}).")
  int ruleSample;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the starts and the sample (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--run-id", description = "run_id of the evaluations rows (default: melc-<dataset>).")
  String runId;

  public record Config(Lake lake, String dataset, MelcSpec melc, int ruleSample, String runId) {
    public Config {
      PartitionKey.requireSafe(dataset);
      PartitionKey.requireSafe(runId);
      if (ruleSample < 2) {
        throw new IllegalArgumentException("--rule-sample must be >= 2");
      }
    }
  }

  public Config config() {
    return new Config(common.lake(), dataset, melc.spec(1, seed).approximation(Approximation.BINNED).build(), ruleSample,
        runId != null ? runId : "melc-" + dataset);
  }

  /** Trains, evaluates on the test split, appends the figures to evaluations and returns them. */
  public static List<Metric> run(SparkSession spark, Config cfg) {
    ExamplesData data = ExamplesData.load(spark, cfg.lake(), cfg.dataset());
    MelcSpec spec = cfg.melc().toBuilder().dims(data.dims()).build();
    long t0 = System.nanoTime();
    DistributedMelc.Trained trained = DistributedMelc.train(data.train(), data.nClasses(), spec, cfg.ruleSample());
    double seconds = (System.nanoTime() - t0) / 1e9;
    DenseShard test = data.test();
    int[] predicted = new int[test.size()];
    for (int i = 0; i < test.size(); i++) {
      double[] x = new double[test.nFeatures()];
      for (int j = 0; j < x.length; j++) {
        x[j] = test.features()[i * test.nFeatures() + j];
      }
      predicted[i] = trained.model().predict(x);
    }
    String model = MelcCrossValidation.melcModel(Approximation.BINNED);
    List<Metric> metrics = List.of(
        new Metric(model, cfg.dataset(), "test", "balanced_accuracy",
            test.size() == 0 ? Double.NaN : BalancedAccuracy.of(test.labels(), predicted, data.nClasses())),
        new Metric(model, cfg.dataset(), "test", "thresholds", trained.model().thresholds()),
        new Metric(model, cfg.dataset(), "train", "fit_seconds", seconds),
        new Metric(model, cfg.dataset(), "train", "aggregations", trained.aggregations()),
        new Metric(model, cfg.dataset(), "train", "objective_evaluations", trained.evaluations()),
        new Metric(model, cfg.dataset(), "train", "worst_error_bound", trained.worstBound()));
    EvaluationsTable.append(spark, cfg.lake(), cfg.runId(), null, metrics);
    metrics.forEach(m -> System.out.printf(Locale.ROOT, "train-melc %s %s %s = %.4f%n", m.dataset(), m.split(),
        m.metric(), m.value()));
    return metrics;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("train-melc").lake(cfg.lake()).catalog(catalog)
          .reads("examples", cfg.lake().partitionPath(LakeTables.EXAMPLES, PartitionKey.of(LakeTables.EXAMPLES, dataset)))
          .writes("evaluations", cfg.lake().tablePath(LakeTables.EVALUATIONS))
          .print();
    }
    SparkSession spark = JobRunner.session("train-melc " + dataset, catalog);
    run(spark, cfg);
    catalog.registerWritten(spark, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new TrainMelcJob(), args);
  }
}
