package org.neurolake.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.family.TrainedModel;
import org.neurolake.lm.LmData;
import org.neurolake.lm.LmTables;
import org.neurolake.lm.LstmLmFamily;
import org.neurolake.lm.SplitPerplexity;
import org.neurolake.model.lm.CharTable;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.train.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate-lm", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Full-softmax perplexity of a trained lstm-lm run's newest valid checkpoint on splits of its"
        + " corpus, each split read in order with the state carried (one Spark task per split) -> evaluations"
        + " (model=lstm-lm, run_id=<run-id>, dataset=<corpus>: ppl, log_prob, tokens; the metrics of evaluate-kn5).",
        "Example: evaluate-lm --run-id lstm-lm-ptb --splits valid,test"})
public final class EvaluateLmJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--splits", split = ",", defaultValue = "valid,test", description = "Splits (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  @Option(names = "--window", defaultValue = "" + SplitPerplexity.DEFAULT_WINDOW,
      description = "Words per scored window; the result does not depend on it (default: ${DEFAULT-VALUE}).")
  int window;

  public record Config(Lake lake, String runId, Path checkpointDir, List<String> splits, int window) {
    public Config {
      PartitionKey.requireSafe(runId);
      splits = List.copyOf(splits);
      if (splits.isEmpty()) {
        throw new IllegalArgumentException("--splits names no split");
      }
      splits.forEach(PartitionKey::requireSafe);
      if (window < 1) {
        throw new IllegalArgumentException("--window must be >= 1, got " + window);
      }
    }
  }

  public Config config() {
    Lake lake = common.lake();
    return new Config(lake, run.runId(), run.checkpointDir(lake), splits, window);
  }

  /** The run's record, checked to be an lstm-lm run of this id. */
  static RunRecord lmRun(Configuration conf, Path checkpointDir, String runId) {
    RunRecord record = RunRecord.read(conf, checkpointDir);
    if (!record.runId().equals(runId)) {
      throw new IllegalArgumentException(checkpointDir + " holds run " + record.runId() + ", not " + runId);
    }
    if (!record.family().equals(LstmLmFamily.NAME)) {
      throw new IllegalArgumentException("run " + runId + " is a " + record.family() + " run, not " + LstmLmFamily.NAME);
    }
    return record;
  }

  /** Scores every split, appends the metrics to evaluations and returns them. */
  public static List<Metric> run(SparkSession spark, Config cfg) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    LmData data = lmRun(conf, cfg.checkpointDir(), cfg.runId()).data(LmData.class);
    TrainedModel<LstmLmSpec> trained = TrainedModel.load(conf, cfg.checkpointDir(), LstmLmSpec.class);
    CharTable chars = LmTables.charTable(spark, cfg.lake(), data.corpus(), data.vocabId(), trained.spec());
    List<Metric> metrics = new ArrayList<>();
    for (String split : cfg.splits()) {
      SplitPerplexity.Result r = SplitPerplexity.score(spark,
          LmTables.streams(spark, cfg.lake(), data.corpus(), data.vocabId(), split), trained, chars, cfg.window(),
          data.corpus() + "/" + data.vocabId() + " " + split);
      System.out.printf("%s %s/%s (round %d): %d predicted tokens, log p = %.2f, ppl = %.2f%n", cfg.runId(),
          data.corpus(), split, trained.round(), r.tokens(), r.logLikelihood(), r.perplexity());
      metrics.add(new Metric(LstmLmFamily.NAME, data.corpus(), split, "ppl", r.perplexity()));
      metrics.add(new Metric(LstmLmFamily.NAME, data.corpus(), split, "log_prob", r.logLikelihood()));
      metrics.add(new Metric(LstmLmFamily.NAME, data.corpus(), split, "tokens", r.tokens()));
    }
    EvaluationsTable.append(spark, cfg.lake(), cfg.runId(), null, metrics);
    return metrics;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("evaluate-lm").lake(cfg.lake()).catalog(catalog)
          .reads("the run's checkpoints and run.json", cfg.checkpointDir())
          .reads("token_streams", cfg.lake().tablePath(LakeTables.TOKEN_STREAMS))
          .writes("evaluations", cfg.lake().tablePath(LakeTables.EVALUATIONS))
          .note("splits " + cfg.splits())
          .print();
    }
    SparkSession spark = JobRunner.session("evaluate-lm " + cfg.runId(), catalog);
    run(spark, cfg);
    catalog.registerWritten(spark, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new EvaluateLmJob(), args);
  }
}
