package org.neurolake.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.text.Split;
import org.neurolake.sentiment.MlstmFamily;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code infer} of an mLSTM run over a documents source, under its own name and options. */
@Command(name = "extract-features", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a trained mLSTM run's newest valid checkpoint over the documents of one source and writes each"
            + " document's final cell state (the sentiment neuron paper's features) with its label to features"
            + " (partition run_id=<run>/source=<source>/split=<split>): infer --run-id <run> --dataset <source>."
            + " Distributed: each Spark partition builds the model from the broadcast spec and parameters.",
        "Each split's partition is committed atomically; a split already committed is skipped (resumable) unless"
            + " --overwrite."})
public final class ExtractFeaturesJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--source", required = true, description = "The documents source (e.g. sst2).")
  String source;

  @Option(names = "--splits", split = ",", defaultValue = "train,dev,test",
      description = "Splits to extract (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  @Option(names = "--overwrite", description = "Recompute splits whose partition is already committed.")
  boolean overwrite;

  @Option(names = "--partitions", defaultValue = "0",
      description = "Spark partitions the documents are spread over (default: the session's default parallelism).")
  int partitions;

  /** Per split: documents written, or -1 when the split was already committed and skipped. */
  public record Result(Map<Split, Long> documents) {}

  public InferJob.Config config() {
    if (splits.isEmpty()) {
      throw new IllegalArgumentException("--splits names no split");
    }
    return InferJob.config(common.lake(), run, MlstmFamily.NAME, source, splits,
        Map.of("partitions", Integer.toString(partitions)), overwrite);
  }

  public static PartitionKey partition(String runId, String source, Split split) {
    return MlstmFamily.Features.partition(runId, source, split);
  }

  /** Whether a split's partition is visible and complete (it holds the committer's _SUCCESS). */
  public static boolean committed(Configuration conf, Lake lake, String runId, String source, Split split) {
    return InferJob.committed(conf, lake.partitionPath(LakeTables.DOCUMENT_FEATURES, partition(runId, source, split)));
  }

  public static Result run(SparkSession spark, InferJob.Config cfg) {
    return result(cfg, InferJob.run(spark, cfg));
  }

  private static Result result(InferJob.Config cfg, InferJob.Result r) {
    Map<Split, Long> written = new LinkedHashMap<>();
    for (int i = 0; i < cfg.splits().size(); i++) {
      written.put(cfg.splits().get(i), r.parts().get(i).rows());
    }
    return new Result(written);
  }

  @Override
  public Integer call() {
    InferJob.Config cfg = config();
    InferJob.Result r = InferJob.call("extract-features", common, cfg);
    if (r != null) {
      System.out.printf("extract-features %s: %s%n", cfg.runId(), result(cfg, r).documents());
    }
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new ExtractFeaturesJob(), args);
  }
}
