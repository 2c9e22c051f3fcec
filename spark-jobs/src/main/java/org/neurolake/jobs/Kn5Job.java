package org.neurolake.jobs;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.ngram.KneserNeyRuns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "kn5", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Counts an interpolated modified Kneser-Ney n-gram model (default 5-gram, as SRILM's -interpolate"
        + " -kndiscount without cutoffs) on a corpus's training sentences with Spark -> kn_ngrams, kn_contexts,"
        + " kn_discounts; then scores --evaluate splits -> evaluations (model=kn5: ppl, log_prob, tokens).",
        "Example: kn5 --corpus ptb --vocab-id ptb-10k"})
public final class Kn5Job implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--corpus", required = true, description = "The sentences corpus.")
  String corpus;

  @Option(names = "--vocab-id", required = true, description = "The vocabulary (build-vocab).")
  String vocabId;

  @Option(names = "--train-split", defaultValue = "train", description = "Split counted (default: ${DEFAULT-VALUE}).")
  String trainSplit;

  @Option(names = "--order", defaultValue = "5", description = "n-gram order (default: ${DEFAULT-VALUE}).")
  int order;

  @Option(names = "--model-id", description = "Name of the model's kn_* partitions (default: <corpus>-kn<order>).")
  String modelId;

  @Option(names = "--evaluate", split = ",", defaultValue = "valid,test",
      description = "Splits whose perplexity is measured after training (default: ${DEFAULT-VALUE}; 'none': none).")
  List<String> evaluate;

  public record Config(Lake lake, KneserNeyRuns.TrainConfig train, List<String> evaluate) {
    public Config {
      evaluate = List.copyOf(evaluate);
      evaluate.forEach(PartitionKey::requireSafe);
    }
  }

  public Config config() {
    String id = modelId != null ? modelId : corpus + "-" + KneserNeyRuns.family(order);
    List<String> splits = evaluate.equals(List.of("none")) ? List.of() : evaluate;
    return new Config(common.lake(), new KneserNeyRuns.TrainConfig(corpus, vocabId, trainSplit, order, id), splits);
  }

  public static List<Metric> run(SparkSession spark, Config cfg) {
    KneserNeyRuns.Trained t = KneserNeyRuns.train(spark, cfg.lake(), cfg.train());
    System.out.printf("%s %s: %d n-grams, %d contexts; discounts %s%n", KneserNeyRuns.family(cfg.train().order()),
        cfg.train().modelId(), t.written().ngrams(), t.written().contexts(), t.model().discounts());
    List<Metric> metrics = KneserNeyRuns.evaluate(spark, cfg.lake(), t.model(), cfg.evaluate());
    EvaluationsTable.append(spark, cfg.lake(), cfg.train().modelId(), null, metrics);
    return metrics;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    Lake lake = cfg.lake();
    String id = cfg.train().modelId();
    if (common.dryRun()) {
      return new DryRun("kn5").lake(lake).catalog(catalog)
          .reads("sentences", lake.partitionPath(LakeTables.SENTENCES, PartitionKey.of(LakeTables.SENTENCES, corpus,
              trainSplit)))
          .reads("vocab", lake.partitionPath(LakeTables.VOCAB, PartitionKey.of(LakeTables.VOCAB, corpus, vocabId)))
          .writes("kn_ngrams", lake.partitionPath(LakeTables.KN_NGRAMS, PartitionKey.of(LakeTables.KN_NGRAMS, id)))
          .writes("kn_contexts", lake.partitionPath(LakeTables.KN_CONTEXTS, PartitionKey.of(LakeTables.KN_CONTEXTS, id)))
          .writes("kn_discounts", lake.partitionPath(LakeTables.KN_DISCOUNTS, PartitionKey.of(LakeTables.KN_DISCOUNTS, id)))
          .writes("evaluations", lake.partitionPath(LakeTables.EVALUATIONS,
              PartitionKey.of(LakeTables.EVALUATIONS, KneserNeyRuns.family(order))))
          .print();
    }
    SparkSession spark = JobRunner.session("kn5 " + corpus, catalog);
    run(spark, cfg);
    catalog.registerWritten(spark, LakeTables.KN_NGRAMS, LakeTables.KN_CONTEXTS, LakeTables.KN_DISCOUNTS,
        LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new Kn5Job(), args);
  }
}
