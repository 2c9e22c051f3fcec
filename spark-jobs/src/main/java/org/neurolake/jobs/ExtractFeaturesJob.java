package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.model.mlstm.MlstmModel;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "extract-features", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Runs a trained mLSTM run's newest valid checkpoint over the documents of one source and writes each"
            + " document's final cell state (the sentiment neuron paper's features) with its label to features"
            + " (partition run_id=<run>/source=<source>/split=<split>). Distributed: each Spark partition builds the"
            + " model from the broadcast spec and parameters.",
        "Each split's partition is committed atomically; a split already committed is skipped (resumable) unless"
            + " --overwrite."})
public final class ExtractFeaturesJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--run-id", required = true, description = "The trained mLSTM run.")
  String runId;

  @Option(names = "--source", required = true, description = "The documents source (e.g. sst2).")
  String source;

  @Option(names = "--splits", split = ",", defaultValue = "train,dev,test",
      description = "Splits to extract (default: ${DEFAULT-VALUE}).")
  List<String> splits;

  @Option(names = "--overwrite", description = "Recompute splits whose partition is already committed.")
  boolean overwrite;

  @Option(names = "--checkpoint-dir", description = "The run's checkpoints (default: <lake>/checkpoints/<run-id>).")
  String checkpointDir;

  @Option(names = "--partitions", defaultValue = "0",
      description = "Spark partitions the documents are spread over (default: the session's default parallelism).")
  int partitions;

  public record Config(Lake lake, String runId, String source, List<Split> splits, boolean overwrite,
      Path checkpointDir, int partitions) {
    public Config {
      PartitionKey.requireSafe(runId);
      PartitionKey.requireSafe(source);
      if (splits.isEmpty()) {
        throw new IllegalArgumentException("--splits names no split");
      }
      splits = List.copyOf(splits);
      if (partitions < 0) {
        throw new IllegalArgumentException("--partitions must be >= 0, got " + partitions);
      }
    }
  }

  /** Per split: documents written, or -1 when the split was already committed and skipped. */
  public record Result(java.util.Map<Split, Long> documents) {}

  public Config config() {
    Lake lake = common.lake();
    Path ckpt = checkpointDir != null ? new Path(HadoopPaths.toUri(checkpointDir))
        : TrainingRun.Config.defaultCheckpointDir(lake, runId);
    return new Config(lake, runId, source, splits.stream().map(Split::parse).distinct().toList(), overwrite, ckpt,
        partitions);
  }

  public static PartitionKey partition(String runId, String source, Split split) {
    return PartitionKey.of(LakeTables.DOCUMENT_FEATURES, runId, source, split.value());
  }

  /** Whether a split's partition is visible and complete (it holds the committer's _SUCCESS). */
  public static boolean committed(Configuration conf, Lake lake, String runId, String source, Split split) {
    Path p = lake.partitionPath(LakeTables.DOCUMENT_FEATURES, partition(runId, source, split));
    try {
      return p.getFileSystem(conf).exists(new Path(p, "_SUCCESS"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look at " + p, e);
    }
  }

  public static Result run(SparkSession spark, Config cfg) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    TrainableModel trained = TrainingRun.loadModel(spark, cfg.checkpointDir());
    if (!(trained instanceof MlstmModel)) {
      throw new IllegalArgumentException("run " + cfg.runId() + " is not an mLSTM run: " + trained.spec().kind());
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<String> specJson = jsc.broadcast(ModelSpecs.toJson(trained.spec()));
    Broadcast<float[]> params = jsc.broadcast(trained.parameters());
    Dataset<Row> documents = TableReader.read(spark, cfg.lake(), LakeTables.DOCUMENTS)
        .where(col(Columns.SOURCE).equalTo(cfg.source()));
    java.util.Map<Split, Long> written = new java.util.LinkedHashMap<>();
    PartitionCommitter committer = new PartitionCommitter(conf);
    int slices = cfg.partitions() > 0 ? cfg.partitions() : spark.sparkContext().defaultParallelism();
    try {
      for (Split split : cfg.splits()) {
        if (!cfg.overwrite() && committed(conf, cfg.lake(), cfg.runId(), cfg.source(), split)) {
          System.out.printf("extract-features %s: %s/%s already committed; skipped (--overwrite recomputes it)%n",
              cfg.runId(), cfg.source(), split.value());
          written.put(split, -1L);
          continue;
        }
        Dataset<Row> docs = documents.where(col(Columns.SPLIT).equalTo(split.value()))
            .select(Columns.DOC_ID, Columns.LABEL, Columns.TEXT_BYTES).repartition(slices);
        JavaRDD<Row> rows = docs.toJavaRDD().mapPartitions(it -> {
          MlstmModel model = (MlstmModel) ModelSpecs.fromJson(specJson.value()).build();
          model.setParameters(params.value());
          List<Row> in = new ArrayList<>();
          it.forEachRemaining(in::add);
          List<Row> out = new ArrayList<>(in.size());
          // finalCellStates groups 128 documents per pass itself; hand it a few hundred at a time.
          for (int from = 0; from < in.size(); from += 512) {
            List<Row> group = in.subList(from, Math.min(in.size(), from + 512));
            List<byte[]> texts = new ArrayList<>(group.size());
            group.forEach(r -> texts.add((byte[]) r.get(2)));
            float[][] cells = model.finalCellStates(texts);
            for (int i = 0; i < group.size(); i++) {
              Row r = group.get(i);
              out.add(RowFactory.create(r.getString(0), r.isNullAt(1) ? null : r.getInt(1), boxed(cells[i])));
            }
          }
          return out.iterator();
        });
        Path p = committer.replace(spark.createDataFrame(rows, LakeTables.DOCUMENT_FEATURES.dataSchema()), cfg.lake(),
            LakeTables.DOCUMENT_FEATURES, partition(cfg.runId(), cfg.source(), split));
        long n = spark.read().parquet(p.toString()).count();
        written.put(split, n);
        System.out.printf("extract-features %s: %s/%s: %d documents -> %s%n", cfg.runId(), cfg.source(),
            split.value(), n, p);
      }
    } finally {
      specJson.unpersist(false);
      params.unpersist(false);
    }
    return new Result(written);
  }

  private static Float[] boxed(float[] v) {
    Float[] out = new Float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun d = new DryRun("extract-features").lake(cfg.lake()).catalog(catalog)
          .reads("the run's checkpoints", cfg.checkpointDir())
          .reads("documents", cfg.lake().partitionPath(LakeTables.DOCUMENTS,
              PartitionKey.of(LakeTables.DOCUMENTS, cfg.source())));
      for (Split s : cfg.splits()) {
        d.writes("features", cfg.lake().partitionPath(LakeTables.DOCUMENT_FEATURES, partition(cfg.runId(), cfg.source(), s)));
      }
      return d.note(cfg.overwrite() ? "recomputes every split" : "skips splits already committed").print();
    }
    SparkSession spark = JobRunner.session("extract-features " + cfg.runId(), catalog);
    Result r = run(spark, cfg);
    System.out.printf("extract-features %s: %s (-1 = already committed, skipped)%n", cfg.runId(), r.documents());
    catalog.registerWritten(spark, LakeTables.DOCUMENT_FEATURES);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new ExtractFeaturesJob(), args);
  }
}
