package org.neurolake.jobs;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.ngram.KnModel;
import org.neurolake.ngram.KneserNeyRuns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate-kn5", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Perplexity of a Kneser-Ney model (kn5) on splits of its corpus, scored as a Spark job ->"
        + " evaluations (model=kn<order>, run_id=<model-id>: ppl, log_prob, tokens).",
        "Example: evaluate-kn5 --model-id ptb-kn5 --splits valid,test"})
public final class EvaluateKn5Job implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--model-id", required = true, description = "The model (kn5 --model-id).")
  String modelId;

  @Option(names = "--splits", split = ",", defaultValue = "valid,test", description = "Splits (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  public record Config(Lake lake, String modelId, List<String> splits) {
    public Config {
      PartitionKey.requireSafe(modelId);
      splits = List.copyOf(splits);
      splits.forEach(PartitionKey::requireSafe);
    }
  }

  public Config config() {
    return new Config(common.lake(), modelId, splits);
  }

  public static List<Metric> run(SparkSession spark, Config cfg) {
    KnModel model = KnModel.read(spark, cfg.lake(), cfg.modelId());
    List<Metric> metrics = KneserNeyRuns.evaluate(spark, cfg.lake(), model, cfg.splits());
    EvaluationsTable.append(spark, cfg.lake(), cfg.modelId(), null, metrics);
    return metrics;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("evaluate-kn5").lake(cfg.lake()).catalog(catalog)
          .reads("kn_discounts", cfg.lake().partitionPath(LakeTables.KN_DISCOUNTS,
              PartitionKey.of(LakeTables.KN_DISCOUNTS, modelId)))
          .writes("evaluations", cfg.lake().tablePath(LakeTables.EVALUATIONS))
          .print();
    }
    SparkSession spark = JobRunner.session("evaluate-kn5 " + modelId, catalog);
    run(spark, cfg);
    catalog.registerWritten(spark, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new EvaluateKn5Job(), args);
  }
}
