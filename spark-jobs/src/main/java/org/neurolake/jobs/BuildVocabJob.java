package org.neurolake.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.pipelines.lm.VocabularyBuilder;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "build-vocab", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Builds a word vocabulary from a corpus's training sentences: <unk>, <eos>, <s> (ids 0-2), then"
        + " the top words by count (ties by the word) -> vocab, vocab_chars (character-CNN input); every split's"
        + " out-of-vocabulary rate -> evaluations (model=vocab, run_id=<vocab-id>).",
        "Example: build-vocab --corpus ptb --vocab-id ptb-10k --max-words 10000"})
public final class BuildVocabJob implements Callable<Integer> {
  /** The evaluations partition of out-of-vocabulary rates. */
  public static final String EVALUATIONS_MODEL = "vocab";

  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--corpus", required = true, description = "The sentences corpus to count.")
  String corpus;

  @Option(names = "--vocab-id", required = true, description = "Name of this vocabulary (its vocab partition).")
  String vocabId;

  @Option(names = "--max-words", defaultValue = "1000000000",
      description = "At most this many words besides <unk>, <eos>, <s> (default: all training words).")
  long maxWords;

  @Option(names = "--train-split", defaultValue = "train", description = "The split counted (default: ${DEFAULT-VALUE}).")
  String trainSplit;

  public record Config(Lake lake, VocabularyBuilder.Config vocab) {}

  public Config config() {
    return new Config(common.lake(), new VocabularyBuilder.Config(corpus, vocabId, trainSplit, maxWords));
  }

  public static VocabularyBuilder.Result run(SparkSession spark, Config cfg) {
    VocabularyBuilder.Result r = VocabularyBuilder.run(spark, cfg.lake(), cfg.vocab());
    List<Metric> metrics = new ArrayList<>();
    for (VocabularyBuilder.OovRate o : r.oov()) {
      metrics.add(new Metric(EVALUATIONS_MODEL, cfg.vocab().corpus(), o.split(), "oov_rate", o.oovRate()));
      metrics.add(new Metric(EVALUATIONS_MODEL, cfg.vocab().corpus(), o.split(), "unk_rate", o.unkRate()));
      metrics.add(new Metric(EVALUATIONS_MODEL, cfg.vocab().corpus(), o.split(), "tokens", o.tokens()));
    }
    EvaluationsTable.append(spark, cfg.lake(), cfg.vocab().vocabId(), null, metrics);
    return r;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    Lake lake = cfg.lake();
    if (common.dryRun()) {
      return new DryRun("build-vocab").lake(lake).catalog(catalog)
          .reads("sentences", lake.partitionPath(LakeTables.SENTENCES, PartitionKey.of(LakeTables.SENTENCES, corpus,
              trainSplit)))
          .writes("vocab", lake.partitionPath(LakeTables.VOCAB, PartitionKey.of(LakeTables.VOCAB, corpus, vocabId)))
          .writes("vocab_chars", lake.partitionPath(LakeTables.VOCAB_CHARS,
              PartitionKey.of(LakeTables.VOCAB_CHARS, corpus, vocabId)))
          .writes("evaluations", lake.partitionPath(LakeTables.EVALUATIONS,
              PartitionKey.of(LakeTables.EVALUATIONS, EVALUATIONS_MODEL)))
          .print();
    }
    SparkSession spark = JobRunner.session("build-vocab " + corpus, catalog);
    VocabularyBuilder.Result r = run(spark, cfg);
    System.out.printf("build-vocab %s/%s: %d words (3 special) from %d training tokens in %s%n", corpus, vocabId,
        r.words(), r.trainTokens(), r.vocabPath());
    for (VocabularyBuilder.OovRate o : r.oov()) {
      System.out.printf(Locale.ROOT, "  %-8s %10d tokens  oov %.4f%%  <unk> %.4f%%%n", o.split(), o.tokens(),
          100 * o.oovRate(), 100 * o.unkRate());
    }
    catalog.registerWritten(spark, LakeTables.VOCAB, LakeTables.VOCAB_CHARS, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new BuildVocabJob(), args);
  }
}
