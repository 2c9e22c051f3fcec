package org.neurolake.jobs;

import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.odm.DigitImages;
import org.neurolake.pipelines.odm.OdmTask;
import org.neurolake.pipelines.odm.OdmTasks;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "make-odm-task", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Builds an Output Distribution Matching task from real text into odm_sequences, partition task=<name>:"
            + " digits (the text's 10 most frequent letters -> digits 0-9, each replaced by a random 8x8 image of"
            + " its class; test images never appear in the input sequence) or cipher (the text's characters under"
            + " a random permutation, with an independent plaintext sample).",
        "Example: make-odm-task --kind digits --text $DATA_ROOT/ptb/ptb.train.txt.gz"
            + " --digits $DATA_ROOT/digits/optdigits_8x8.csv.gz"})
public final class MakeOdmTaskJob implements Callable<Integer> {
  /** The two tasks of the paper. */
  public enum Kind { digits, cipher }

  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--kind", required = true, description = "digits or cipher.")
  Kind kind;

  @Option(names = "--task", description = "The task's name (the partition; default: the kind).")
  String task;

  @Option(names = "--text", required = true, description = "Real text (plain or .gz; PTB, or any text file).")
  String text;

  @Option(names = "--digits", description = "The 8x8 digit images (digits kind): optdigits_8x8.csv.gz.")
  String digits;

  @Option(names = "--test-text", description = "Held-out text to decode (cipher kind), e.g. ptb.test.txt.gz.")
  String testText;

  @Option(names = "--positions", defaultValue = "50000",
      description = "Length of the input and of the label sequence (default: ${DEFAULT-VALUE}).")
  int positions;

  @Option(names = "--test-fraction", defaultValue = "0.2",
      description = "Digit images held out for testing (default: ${DEFAULT-VALUE}).")
  double testFraction;

  @Option(names = "--test-positions", defaultValue = "20000",
      description = "Characters of held-out text to decode (cipher; default: ${DEFAULT-VALUE}).")
  int testPositions;

  @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
  long seed;

  /** What to build. */
  public record Config(Lake lake, String task, Kind kind, java.nio.file.Path text, java.nio.file.Path digits,
      java.nio.file.Path testText, int positions, double testFraction, int testPositions, long seed) {
    public Config {
      PartitionKey.requireSafe(task);
      if (positions < 1 || testPositions < 1 || !(testFraction > 0 && testFraction < 1)) {
        throw new IllegalArgumentException("need --positions, --test-positions >= 1 and --test-fraction in (0, 1)");
      }
      requireFile("--text", text);
      if (kind == Kind.digits) {
        requireFile("--digits", digits);
      } else {
        requireFile("--test-text", testText);
      }
    }

    private static void requireFile(String option, java.nio.file.Path p) {
      if (p == null) {
        throw new BadInputException(option + " is required for this kind");
      }
      if (!java.nio.file.Files.isRegularFile(p)) {
        throw new BadInputException(option + " " + p + ": no such file");
      }
    }
  }

  public Config config() {
    return new Config(common.lake(), task == null ? kind.name() : task, kind, java.nio.file.Path.of(text),
        digits == null ? null : java.nio.file.Path.of(digits),
        testText == null ? null : java.nio.file.Path.of(testText),
        positions, testFraction, testPositions, seed);
  }

  /** The task built from the files (no Spark). */
  public static OdmTask build(Config cfg) {
    String t = OdmTasks.readText(cfg.text());
    return cfg.kind() == Kind.digits
        ? OdmTasks.digits(t, DigitImages.read(cfg.digits()), cfg.positions(), cfg.testFraction(), cfg.seed())
        : OdmTasks.cipher(t, OdmTasks.readText(cfg.testText()), cfg.positions(), cfg.testPositions(), cfg.seed());
  }

  public static Path run(SparkSession spark, Config cfg) {
    return new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(build(cfg).rows(spark),
        cfg.lake(), LakeTables.ODM_SEQUENCES, PartitionKey.of(LakeTables.ODM_SEQUENCES, cfg.task()));
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("make-odm-task").lake(cfg.lake()).catalog(catalog)
          .writes(cfg.kind() + " task of " + cfg.positions() + " positions", cfg.lake().partitionPath(
              LakeTables.ODM_SEQUENCES, PartitionKey.of(LakeTables.ODM_SEQUENCES, cfg.task())))
          .print();
    }
    SparkSession spark = JobRunner.session("make-odm-task " + cfg.task(), catalog);
    Path p = run(spark, cfg);
    System.out.printf("make-odm-task %s (%s): %d positions -> %s%n", cfg.task(), cfg.kind(), cfg.positions(), p);
    catalog.registerWritten(spark, LakeTables.ODM_SEQUENCES);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new MakeOdmTaskJob(), args);
  }
}
