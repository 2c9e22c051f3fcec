package org.neurolake.jobs;

import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.text.ByteSequenceCutter;
import org.neurolake.pipelines.text.ByteSequencing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cut-sequences", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Cuts a source's documents into byte_sequences (doc_id, split, seq_index, bytes) of a fixed length"
        + " for language-model training; a document's chunks are consecutive and in order.")
public final class CutSequencesJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--source", required = true, description = "The documents partition to cut.")
  String source;

  @Option(names = "--length", defaultValue = "256", description = "Bytes per sequence (default: ${DEFAULT-VALUE}).")
  int length;

  public record Config(Lake lake, String source, ByteSequenceCutter cutter) {
    public Config {
      PartitionKey.requireSafe(source);
    }
  }

  public Config config() {
    return new Config(common.lake(), source, new ByteSequenceCutter(length));
  }

  public static ByteSequencing.Result run(SparkSession spark, Config cfg) {
    return ByteSequencing.run(spark, cfg.lake(), cfg.source(), cfg.cutter());
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("cut-sequences").lake(cfg.lake()).catalog(catalog)
          .reads("documents", cfg.lake().partitionPath(LakeTables.DOCUMENTS, PartitionKey.of(LakeTables.DOCUMENTS, cfg.source())))
          .writes("sequences of " + cfg.cutter().length() + " bytes", cfg.lake().partitionPath(LakeTables.BYTE_SEQUENCES,
              PartitionKey.of(LakeTables.BYTE_SEQUENCES, cfg.source())))
          .print();
    }
    SparkSession spark = JobRunner.session("cut-sequences " + source, catalog);
    ByteSequencing.Result r = run(spark, cfg);
    System.out.printf("cut-sequences %s: %d documents -> %d sequences of <= %d bytes in %s%n",
        source, r.documents(), r.sequences(), length, r.path());
    catalog.registerWritten(spark, LakeTables.BYTE_SEQUENCES);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new CutSequencesJob(), args);
  }
}
