package org.neurolake.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.Inference;
import org.neurolake.family.InferencePart;
import org.neurolake.family.InferenceRequest;
import org.neurolake.family.ModelBroadcast;
import org.neurolake.family.ModelFamilies;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.ModelRowFunction;
import org.neurolake.family.TrainedModel;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableDef;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.RunRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "infer", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Applies a trained run's newest valid checkpoint to a table, the way its model family does it (lfads: rates,"
            + " factors and inputs of every trial of a session -> lfads_outputs; mlstm: each document's final cell"
            + " state -> features, per split). The family comes from the run's run.json. Distributed: each Spark"
            + " partition builds the model once from the broadcast spec and parameters.",
        "Each output partition is committed atomically; a resumable part already committed is skipped unless"
            + " --overwrite."})
public final class InferJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--dataset", description = "What to apply it to (default: what it trained on, where that is one"
      + " dataset): a session (lfads), a documents source (mlstm).")
  String dataset;

  @Option(names = "--splits", split = ",", description = "Splits to compute, where the family writes one part per"
      + " split (default: the family's).")
  List<String> splits = List.of();

  @Option(names = "--set", paramLabel = "KEY=VALUE",
      description = "A family's inference option, e.g. --set samples=20 (lfads). Repeatable.")
  Map<String, String> options = new LinkedHashMap<>();

  @Option(names = "--overwrite", description = "Recompute parts whose partition is already committed.")
  boolean overwrite;

  /**
   * @param family the family the run must be of (a thin job's), or null for any
   */
  public record Config(Lake lake, String runId, String family, Path checkpointDir, String dataset, List<Split> splits,
      Map<String, String> options, boolean overwrite) {
    public Config {
      PartitionKey.requireSafe(runId);
      if (dataset != null) {
        PartitionKey.requireSafe(dataset);
      }
      splits = List.copyOf(splits);
      options = Map.copyOf(options);
    }
  }

  /** One output partition: rows written, or -1 when it was already committed and skipped. */
  public record Part(String label, Path output, long rows) {}

  public record Result(String family, TableDef table, List<Part> parts) {}

  public Config config() {
    return config(common.lake(), run, null, dataset, splits, options, overwrite);
  }

  static Config config(Lake lake, TrainedRunOptions run, String family, String dataset, List<String> splits,
      Map<String, String> options, boolean overwrite) {
    return new Config(lake, run.runId(), family, run.checkpointDir(lake), dataset, splits.stream().map(Split::parse).distinct().toList(), options,
        overwrite);
  }

  /** Whether a partition is visible and complete (it holds the committer's _SUCCESS). */
  public static boolean committed(Configuration conf, Path partition) {
    try {
      return partition.getFileSystem(conf).exists(new Path(partition, "_SUCCESS"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look at " + partition, e);
    }
  }

  public static Result run(SparkSession spark, Config cfg) {
    RunRecord record = RunRecord.read(spark.sparkContext().hadoopConfiguration(), cfg.checkpointDir());
    if (!record.runId().equals(cfg.runId())) {
      throw new IllegalArgumentException(cfg.checkpointDir() + " holds run " + record.runId() + ", not " + cfg.runId());
    }
    if (cfg.family() != null && !cfg.family().equals(record.family())) {
      throw new IllegalArgumentException("run " + cfg.runId() + " is not a " + cfg.family() + " run: a "
          + record.family() + " run");
    }
    return runFamily(spark, ModelFamilies.installed().byName(record.family()), record, cfg);
  }

  private static <S extends ModelSpec> Result runFamily(SparkSession spark, ModelFamily<S, ?> family,
      RunRecord record, Config cfg) {
    Inference<S> inference = family.inference().orElseThrow(() -> new IllegalArgumentException(
        "run " + cfg.runId() + " is a " + family.name() + " run; that family has no inference"));
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    TrainedModel<S> trained = TrainedModel.load(conf, cfg.checkpointDir(), family.specType());
    InferenceRequest request = new InferenceRequest(cfg.lake(), record, cfg.dataset(), cfg.splits(), cfg.options(),
        cfg.overwrite());
    List<InferencePart> parts = inference.parts(spark, request, trained.spec());
    ModelRowFunction<S> function = inference.function(request, trained.spec());
    PartitionCommitter committer = new PartitionCommitter(conf);
    List<Part> done = new ArrayList<>();
    try (ModelBroadcast<S> model = ModelBroadcast.of(JavaSparkContext.fromSparkContext(spark.sparkContext()),
        trained)) {
      for (InferencePart part : parts) {
        Path target = cfg.lake().partitionPath(inference.output(), part.output());
        if (part.resumable() && !cfg.overwrite() && committed(conf, target)) {
          System.out.printf("infer %s: %s already committed; skipped (--overwrite recomputes it)%n", cfg.runId(),
              part.label());
          done.add(new Part(part.label(), target, -1));
          continue;
        }
        JavaRDD<Row> rows = model.map(part.input().toJavaRDD(), function);
        Path p = committer.replace(spark.createDataFrame(rows, inference.output().dataSchema()), cfg.lake(),
            inference.output(), part.output());
        long n = spark.read().parquet(p.toString()).count();
        System.out.printf("infer %s: %s: %d rows -> %s%n", cfg.runId(), part.label(), n, p);
        done.add(new Part(part.label(), p, n));
      }
    }
    return new Result(family.name(), inference.output(), done);
  }

  /** The job's work once options are parsed. */
  static Result call(String jobName, CommonOptions common, Config cfg) {
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      new DryRun(jobName).lake(cfg.lake()).catalog(catalog)
          .reads("the run's checkpoints and run.json", cfg.checkpointDir())
          .note((cfg.overwrite() ? "recomputes every part" : "skips resumable parts already committed")
              + "; options " + cfg.options())
          .print();
      return null;
    }
    SparkSession spark = JobRunner.session(jobName + " " + cfg.runId(), catalog);
    Result r = run(spark, cfg);
    System.out.printf("%s %s: %s (-1 = already committed, skipped)%n", jobName, cfg.runId(), r.parts());
    catalog.registerWritten(spark, r.table());
    return r;
  }

  @Override
  public Integer call() {
    call("infer", common, config());
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new InferJob(), args);
  }
}
