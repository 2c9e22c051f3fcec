package org.neurolake.vae;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.family.VocabDataset;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.vae.SentenceShard;
import org.neurolake.model.vae.SentenceVaeEvaluation;
import org.neurolake.model.vae.SentenceVaeModel;
import org.neurolake.model.vae.SentenceVaeSpec;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.train.ModelSpecOptions;
import org.neurolake.train.ShardPacker;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;

/**
 * The sentence VAE of Bowman et al. 2016 (and, with {@code model.encoder = NONE}, its RNN language
 * model baseline) as a model family: {@code --dataset corpus/vocab_id} trains on the training
 * split's {@code sentences}, mapped to ids by that vocabulary, one example per sentence, shards by
 * a stable hash of the sentence, batches of {@code batch-size} sentences of similar length. The
 * periodic evaluation is {@link SentenceVaeEvaluation} on the valid split (bound, KL, recon,
 * perplexity, active units; no importance sampling: {@code evaluate-vae} does that).
 */
public final class SentenceVaeFamily implements ModelFamily<SentenceVaeSpec, SentenceVaeFamily.Corpus> {
  public static final String NAME = "sentence-vae";
  public static final String VALID = "valid";
  /** Sentences per evaluation pass. */
  static final int EVAL_BATCH = 64;

  /** The run's data: the session, settings, the vocabulary's words (index = id). */
  public record Corpus(SparkSession spark, Lake lake, VaeData data, List<String> words) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "the sentence VAE (Bowman et al. 2016; model.encoder=NONE: the RNNLM baseline) on sentences + vocab "
        + "(--dataset = corpus/vocab_id); data.* train-split, valid-split, eval-sentences";
  }

  @Override
  public Class<SentenceVaeSpec> specType() {
    return SentenceVaeSpec.class;
  }

  @Override
  public List<DataRead> reads(Lake lake, String dataset) {
    return List.of(VocabDataset.parse(NAME, dataset).vocabRead(lake),
        new DataRead("sentences", lake.tablePath(LakeTables.SENTENCES)));
  }

  @Override
  public Corpus load(SparkSession spark, TrainRequest request) {
    VaeData data = VaeData.from(request.dataset(), request.options());
    return new Corpus(spark, request.lake(), data,
        SentenceTables.words(spark, request.lake(), data.corpus(), data.vocabId()));
  }

  /** The defaults at the vocabulary's size and the run's seed, then the run's {@code model.*} options. */
  @Override
  public SentenceVaeSpec spec(Corpus corpus, TrainRequest request) {
    Map<String, String> options = request.options().model();
    SentenceVaeSpec defaults = SentenceVaeSpec.builder(corpus.words().size())
        .specialIds(SentenceTables.UNK, SentenceTables.START).seed(request.trainer().seed()).build();
    return ModelSpecOptions.apply(defaults, options);
  }

  @Override
  public JavaRDD<ExampleShard> shards(Corpus corpus, SentenceVaeSpec spec, TrainerConfig trainer) {
    JavaRDD<int[]> sentences = SentenceTables.ids(corpus.spark(), corpus.lake(), corpus.data().corpus(),
        corpus.data().trainSplit(), corpus.words());
    int batch = trainer.batchSize();
    long seed = trainer.seed();
    return ShardPacker.byKey(sentences, trainer.tasksPerRound(), "sentences", SentenceVaeFamily::shardKey,
        list -> SentenceShard.bucketed(list, batch, seed));
  }

  /** A mixed hash of the sentence's ids: stable across runs, spread over the shards. */
  static long shardKey(int[] ids) {
    long h = java.util.Arrays.hashCode(ids) * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 29);
  }

  @Override
  public TrainingRun.Evaluator evaluator(Corpus corpus, SentenceVaeSpec spec) {
    List<int[]> valid = SentenceTables.collect(corpus.spark(), corpus.lake(), corpus.data().corpus(),
        corpus.data().validSplit(), corpus.words());
    int limit = corpus.data().evalSentences();
    if (limit > 0 && valid.size() > limit) {
      valid = valid.subList(0, limit);
    }
    if (valid.isEmpty()) {
      System.out.printf("sentence-vae: %s has no %s sentences: no evaluation%n", corpus.data().corpus(),
          corpus.data().validSplit());
      return TrainingRun.Evaluator.NONE;
    }
    List<int[]> sentences = valid;
    SentenceVaeEvaluation evaluation = new SentenceVaeEvaluation(EVAL_BATCH, 0, spec.seed());
    System.out.printf("sentence-vae: evaluating on %d %s sentences%n", sentences.size(), corpus.data().validSplit());
    SentenceVaeModel model = spec.build();
    return TrainingRun.Evaluator.on(model, m -> {
      List<TrainingRun.Evaluation> out = new ArrayList<>();
      evaluation.evaluate(m, sentences).forEach((k, v) -> out.add(new TrainingRun.Evaluation(VALID, k, v)));
      out.add(new TrainingRun.Evaluation(VALID, "kl_weight", spec.klWeight(m.step())));
      return out;
    });
  }

  @Override
  public VaeData describe(Corpus corpus) {
    return corpus.data();
  }
}
