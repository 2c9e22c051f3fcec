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
    if (common.dryRun()) {
      System.out.println("dry run: would cut documents/source=" + cfg.source() + " into "
          + cfg.lake().tablePath(LakeTables.BYTE_SEQUENCES) + " at " + cfg.cutter().length() + " bytes");
      return 0;
    }
    ByteSequencing.Result r = run(JobRunner.session("cut-sequences " + source), cfg);
    System.out.printf("cut-sequences %s: %d documents -> %d sequences of <= %d bytes in %s%n",
        source, r.documents(), r.sequences(), length, r.path());
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new CutSequencesJob(), args);
  }
}
