package org.neurolake.jobs;

import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.synthetic.GaussianBlobs;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "make-examples", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Generates a labeled classification set (Gaussian clusters) into the examples table, partition"
        + " dataset=<name>: the training engine's test and benchmark data.")
public final class MakeExamplesJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--dataset", defaultValue = "blobs", description = "Dataset name (default: ${DEFAULT-VALUE}).")
  String dataset;

  @Option(names = "--examples", defaultValue = "100000", description = "Number of examples (default: ${DEFAULT-VALUE}).")
  int examples;

  @Option(names = "--dims", defaultValue = "256", description = "Features (default: ${DEFAULT-VALUE}).")
  int dims;

  @Option(names = "--classes", defaultValue = "10", description = "Classes (default: ${DEFAULT-VALUE}).")
  int classes;

  @Option(names = "--spread", defaultValue = "1.0", description = "Distance of the class centres, in noise std (default: ${DEFAULT-VALUE}).")
  double spread;

  @Option(names = "--test-fraction", defaultValue = "0.1", description = "Held-out fraction (default: ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  public record Config(Lake lake, String dataset, GaussianBlobs blobs) {
    public Config {
      PartitionKey.requireSafe(dataset);
    }
  }

  public Config config() {
    return new Config(common.lake(), dataset, new GaussianBlobs(examples, dims, classes, spread, testFraction, seed));
  }

  public static Path run(SparkSession spark, Config cfg) {
    int partitions = Math.max(1, Math.min(64, cfg.blobs().examples() / 5000));
    return new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(
        cfg.blobs().rows(spark, partitions), cfg.lake(), LakeTables.EXAMPLES,
        PartitionKey.of(LakeTables.EXAMPLES, cfg.dataset()));
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("make-examples").lake(cfg.lake()).catalog(catalog)
          .writes(cfg.blobs().toString(), cfg.lake().partitionPath(LakeTables.EXAMPLES,
              PartitionKey.of(LakeTables.EXAMPLES, cfg.dataset())))
          .print();
    }
    SparkSession spark = JobRunner.session("make-examples " + dataset, catalog);
    Path p = run(spark, cfg);
    System.out.printf("make-examples %s: %d examples of %d features, %d classes -> %s%n", dataset, examples, dims,
        classes, p);
    catalog.registerWritten(spark, LakeTables.EXAMPLES);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new MakeExamplesJob(), args);
  }
}
