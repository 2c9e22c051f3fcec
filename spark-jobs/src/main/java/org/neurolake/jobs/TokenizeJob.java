package org.neurolake.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.lm.Tokenization;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "tokenize", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Reads tokenized text (one sentence per line, tokens separated by whitespace) into sentences"
        + " (sent_id, tokens with <eos> appended, n_tokens), one partition per corpus and split.",
        "Example: tokenize --corpus ptb --input train=$DATA_ROOT/ptb/ptb.train.txt.gz"
            + " --input valid=$DATA_ROOT/ptb/ptb.valid.txt.gz --input test=$DATA_ROOT/ptb/ptb.test.txt.gz"})
public final class TokenizeJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--corpus", required = true, description = "Corpus name: the sentences partition (e.g. ptb).")
  String corpus;

  @Option(names = "--input", required = true, paramLabel = "SPLIT=PATH",
      description = "A split's text: file, directory or glob, plain or compressed (repeatable).")
  List<String> inputs;

  public record Config(Lake lake, String corpus, List<Tokenization.SplitInput> inputs) {
    public Config {
      PartitionKey.requireSafe(corpus);
      inputs = List.copyOf(inputs);
      if (inputs.stream().map(Tokenization.SplitInput::split).distinct().count() != inputs.size()) {
        throw new IllegalArgumentException("each split may be given once: " + inputs);
      }
    }
  }

  public Config config() {
    List<Tokenization.SplitInput> parsed = new ArrayList<>();
    for (String in : inputs) {
      int eq = in.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--input must be SPLIT=PATH, got '" + in + "'");
      }
      parsed.add(new Tokenization.SplitInput(in.substring(0, eq), in.substring(eq + 1)));
    }
    return new Config(common.lake(), corpus, parsed);
  }

  public static List<Tokenization.SplitResult> run(SparkSession spark, Config cfg) {
    return Tokenization.run(spark, cfg.lake(), cfg.corpus(), cfg.inputs());
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun d = new DryRun("tokenize").lake(cfg.lake()).catalog(catalog);
      for (Tokenization.SplitInput in : cfg.inputs()) {
        d.inputFile(in.split() + " text", in.path()).writes("sentences", cfg.lake().partitionPath(LakeTables.SENTENCES,
            PartitionKey.of(LakeTables.SENTENCES, cfg.corpus(), in.split())));
      }
      return d.print();
    }
    SparkSession spark = JobRunner.session("tokenize " + corpus, catalog);
    for (Tokenization.SplitResult r : run(spark, cfg)) {
      System.out.printf("tokenize %s/%s: %d sentences, %d tokens (<eos> included) in %s%n", corpus, r.split(),
          r.sentences(), r.tokens(), r.path());
    }
    catalog.registerWritten(spark, LakeTables.SENTENCES);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new TokenizeJob(), args);
  }
}
