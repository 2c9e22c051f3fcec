package org.neurolake.ngram;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.eval.Metric;
import org.neurolake.pipelines.lm.SpecialTokens;
import org.neurolake.pipelines.lm.VocabLookup;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;

/** The Kneser-Ney baseline on lake tables: estimate a model from a corpus's sentences and vocab, score splits. */
public final class KneserNeyRuns {
  private KneserNeyRuns() {}

  public record TrainConfig(String corpus, String vocabId, String trainSplit, int order, String modelId) {
    public TrainConfig {
      PartitionKey.requireSafe(corpus);
      PartitionKey.requireSafe(vocabId);
      PartitionKey.requireSafe(trainSplit);
      PartitionKey.requireSafe(modelId);
      if (order < 1 || order > 9) {
        throw new IllegalArgumentException("--order must be in 1..9: " + order);
      }
    }
  }

  public record Trained(KnModel model, KnModelStore.Written written) {}

  /** The evaluations partition of an n-gram model of this order, e.g. kn5. */
  public static String family(int order) {
    return "kn" + order;
  }

  public static Trained train(SparkSession spark, Lake lake, TrainConfig cfg) {
    VocabLookup vocab = VocabLookup.read(spark, lake, cfg.corpus(), cfg.vocabId());
    Broadcast<VocabLookup> b = new JavaSparkContext(spark.sparkContext()).broadcast(vocab);
    try {
      Dataset<Row> ids = SentenceIds.of(split(spark, lake, cfg.corpus(), cfg.trainSplit()), b);
      // Every word but <s> is predicted (words never seen in training get the uniform share).
      KnModel estimated = KneserNeyEstimator.estimate(ids, cfg.order(), vocab.size() - 1, cfg.corpus(), cfg.vocabId());
      KnModelStore.Written written = KnModelStore.write(spark, lake, cfg.modelId(), estimated);
      estimated.ngrams().unpersist();
      estimated.contexts().unpersist();
      return new Trained(KnModel.read(spark, lake, cfg.modelId()), written);
    } finally {
      b.destroy();
    }
  }

  /** Perplexity of each split of the model's corpus, as {@code ppl}, {@code log_prob} and {@code tokens} metrics. */
  public static List<Metric> evaluate(SparkSession spark, Lake lake, KnModel model, List<String> splits) {
    VocabLookup vocab = VocabLookup.read(spark, lake, model.corpus(), model.vocabId());
    if (vocab.size() - 1 != model.predictedWords()) {
      throw new BadInputException("vocab " + model.corpus() + "/" + model.vocabId() + " has " + vocab.size()
          + " words but the model predicts " + model.predictedWords() + " (+ " + SpecialTokens.BOS
          + "): it was rebuilt after the model; rerun kn5");
    }
    Broadcast<VocabLookup> b = new JavaSparkContext(spark.sparkContext()).broadcast(vocab);
    List<Metric> metrics = new ArrayList<>();
    try {
      for (String s : splits) {
        KneserNeyScorer.Perplexity p = KneserNeyScorer.perplexity(model,
            SentenceIds.of(split(spark, lake, model.corpus(), s), b));
        System.out.printf("%s %s/%s: %s%n", family(model.order()), model.corpus(), s, p);
        String fam = family(model.order());
        metrics.add(new Metric(fam, model.corpus(), s, "ppl", p.ppl()));
        metrics.add(new Metric(fam, model.corpus(), s, "log_prob", p.logProb()));
        metrics.add(new Metric(fam, model.corpus(), s, "tokens", p.tokens()));
      }
    } finally {
      b.destroy();
    }
    return metrics;
  }

  private static Dataset<Row> split(SparkSession spark, Lake lake, String corpus, String split) {
    Dataset<Row> rows = TableReader.read(spark, lake, LakeTables.SENTENCES)
        .where(col(Columns.CORPUS).equalTo(corpus).and(col(Columns.SPLIT).equalTo(split)));
    if (rows.isEmpty()) {
      throw new BadInputException("sentences has no split '" + split + "' of corpus '" + corpus + "': run tokenize first");
    }
    return rows;
  }
}
