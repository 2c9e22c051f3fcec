package org.neurolake.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.checkpoint.HadoopCheckpointStore;
import org.neurolake.eval.Metric;
import org.neurolake.family.TrainedModel;
import org.neurolake.jobs.BuildVocabJob;
import org.neurolake.jobs.EvaluateKn5Job;
import org.neurolake.jobs.Kn5Job;
import org.neurolake.jobs.TokenStreamsJob;
import org.neurolake.jobs.TokenizeJob;
import org.neurolake.jobs.TrainJob;
import org.neurolake.lm.LmTables;
import org.neurolake.lm.SplitPerplexity;
import org.neurolake.model.lm.CharTable;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.model.lm.ParameterLayout;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.pipelines.lm.TokenStreams;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine;

/**
 * {@code bin/bench lm-ptb [budget-seconds] [word|charcnn|CONFIG.properties] [dir] [corpus]}: in one
 * run, on Penn Treebank ({@code dir}, default $DATA_ROOT/ptb: ptb.{train,valid,test}.txt.gz; another
 * corpus's files are {@code <corpus>.{train,valid,test}.txt.gz} there, e.g. the One Billion Word
 * sample split as the README says) through the jobs users run: tokenize, build-vocab
 * ({@code <corpus>-10k}: the top 10,000 training words, which is all of PTB's), token-streams (20
 * training streams, 35-word chunks), the Kneser-Ney 5-gram ({@code <corpus>-kn5}) and its test
 * perplexity; then trains the LSTM language model
 * ({@code conf/train/lstm-lm-ptb.properties}, {@code lstm-lm-ptb-charcnn.properties} for the
 * character-CNN input, or the given properties file) within the budget (default 2400 s, at most
 * 2400: the 40 minutes),
 * scores each checkpoint the run kept ({@code keep-checkpoints}, the last is the final parameters)
 * on the whole valid split, and scores the best one once on test, both in order with the state
 * carried ({@link SplitPerplexity}). One seeded run: the perplexities are of that run.
 *
 * <p>Ends with {@code BENCH lm-ptb ppl_test=… ppl_valid=… ppl_kn5=… train_s=… tokens_per_s=…
 * configs=1 checkpoints=… best_round=… rounds=… params=… input_params=… word_input_params=…}:
 * train_s is the training job's wall time (its final valid evaluation included), tokens_per_s the
 * words of the accepted tasks' windows over train_s, input_params the input layer's parameters
 * (embedding, or the character CNN with its projection) and word_input_params a word embedding's at
 * the same sizes (V x input width), for the character-CNN comparison.
 */
public final class LmPtbBenchmark {
  /** The budget: 40 minutes on the 2-core machine. */
  static final double MAX_BUDGET_S = 2400;

  private LmPtbBenchmark() {}

  public static void main(String[] args) throws Exception {
    double budget = args.length > 0 ? Double.parseDouble(args[0]) : MAX_BUDGET_S;
    if (!(budget > 0) || budget > MAX_BUDGET_S) {
      throw new IllegalArgumentException("budget must be in (0, " + MAX_BUDGET_S + "] seconds, got " + args[0]);
    }
    String mode = args.length > 1 ? args[1] : "word";
    Path home = Path.of(System.getProperty("neurolake.home", "."));
    String config;
    String label;
    if (mode.equals("word") || mode.equals("charcnn")) {
      config = home.resolve(mode.equals("word") ? "conf/train/lstm-lm-ptb.properties"
          : "conf/train/lstm-lm-ptb-charcnn.properties").toString();
      label = mode;
    } else if (mode.endsWith(".properties")) {
      config = mode;
      String file = Path.of(mode).getFileName().toString();
      label = file.substring(0, file.length() - ".properties".length());
    } else {
      throw new IllegalArgumentException("mode is word, charcnn or a .properties file, got " + mode);
    }
    String dataRoot = System.getenv().getOrDefault("DATA_ROOT", home.resolve("../shared/data").toString());
    Path dir = args.length > 2 ? Path.of(args[2]) : Path.of(dataRoot, "ptb");
    String corpus = args.length > 3 ? args[3] : "ptb";
    String vocab = corpus + "-10k";
    String dataset = corpus + "/" + vocab;
    Path work = BenchWork.fresh("lm-" + corpus + "-" + label);
    String lake = work.resolve("lake").toString();
    String runId = "bench-lm-" + corpus + "-" + label;

    SparkSession.Builder builder = SparkSession.builder().master(System.getProperty("spark.master", "local[*]"))
        .appName("bench lm-ptb").config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();

    TokenizeJob.run(spark, parse(new TokenizeJob(), "--lake", lake, "--corpus", corpus,
        "--input", "train=" + dir.resolve(corpus + ".train.txt.gz"),
        "--input", "valid=" + dir.resolve(corpus + ".valid.txt.gz"),
        "--input", "test=" + dir.resolve(corpus + ".test.txt.gz")).config());
    BuildVocabJob.run(spark, parse(new BuildVocabJob(), "--lake", lake, "--corpus", corpus, "--vocab-id", vocab,
        "--max-words", "10000").config());
    TokenStreamsJob.Config streams = parse(new TokenStreamsJob(), "--lake", lake, "--corpus", corpus, "--vocab-id",
        vocab, "--streams", "20", "--chunk-length", "35").config();
    for (TokenStreams.Config s : streams.splits()) {
      TokenStreams.run(spark, streams.lake(), s);
    }
    Kn5Job.run(spark, parse(new Kn5Job(), "--lake", lake, "--corpus", corpus, "--vocab-id", vocab, "--model-id",
        corpus + "-kn5", "--evaluate", "none").config());
    double pplKn5 = EvaluateKn5Job.run(spark, parse(new EvaluateKn5Job(), "--lake", lake, "--model-id", corpus + "-kn5",
        "--splits", "test").config()).stream().filter(m -> m.metric().equals("ppl")).mapToDouble(Metric::value)
        .findFirst().orElseThrow();

    TrainJob.Config train = parse(new TrainJob(), "--lake", lake, "--family", "lstm-lm", "--dataset", dataset,
        "--config", config, "--set", "run-id=" + runId, "--set", "time-budget-s=" + budget).config();
    long t0 = System.nanoTime();
    TrainingRun.Result run = TrainJob.run(spark, train);
    double trainSeconds = (System.nanoTime() - t0) / 1e9;
    TrainerConfig tc = train.run().trainer();
    LstmLmSpec spec = (LstmLmSpec) ModelSpecs.fromJson(
        new HadoopCheckpointStore(spark.sparkContext().hadoopConfiguration(), train.run().checkpointDir())
            .latestValid().orElseThrow().modelSpecJson());
    long accepted = run.rounds().stream().mapToLong(BackupWorkerTrainer.RoundSummary::accepted).sum();
    double tokens = (double) accepted * tc.localSteps() * tc.batchSize() * spec.unrollLength();

    Selection best = selectOnValid(spark, Lake.parse(lake), corpus, vocab, train.run().checkpointDir(), spec);
    CharTable chars = LmTables.charTable(spark, Lake.parse(lake), corpus, vocab, spec);
    SplitPerplexity.Result test = SplitPerplexity.score(spark,
        LmTables.streams(spark, Lake.parse(lake), corpus, vocab, "test"), best.model(), chars,
        SplitPerplexity.DEFAULT_WINDOW, dataset + " test");
    System.out.printf(Locale.ROOT, "%s: round %d chosen on valid (ppl %.2f) among %d checkpoints; test ppl %.2f"
        + " over %d words; kn5 test ppl %.2f; %.0f s training, %.0f words%n", runId, best.model().round(),
        best.validPerplexity(), best.candidates(), test.perplexity(), test.tokens(), pplKn5, trainSeconds, tokens);
    System.out.println(new BenchLine("lm-ptb")
        .put("ppl_test", test.perplexity())
        .put("ppl_valid", best.validPerplexity())
        .put("ppl_kn5", pplKn5)
        .put("train_s", trainSeconds)
        .put("tokens_per_s", tokens / trainSeconds)
        .put("configs", 1)
        .put("checkpoints", best.candidates())
        .put("best_round", best.model().round())
        .put("rounds", run.state().nextRound())
        .put("params", spec.parameterCount())
        .put("input_params", inputParameters(spec.layout()))
        .put("word_input_params", (double) spec.vocabSize() * spec.embeddingSize()));
    spark.stop();
  }

  /** The checkpoint with the lowest valid perplexity, that perplexity, and how many were compared. */
  record Selection(TrainedModel<LstmLmSpec> model, double validPerplexity, int candidates) {}

  static Selection selectOnValid(SparkSession spark, Lake lake, String corpus, String vocab,
      org.apache.hadoop.fs.Path checkpointDir, LstmLmSpec spec) throws Exception {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    HadoopCheckpointStore store = new HadoopCheckpointStore(conf, checkpointDir);
    CharTable chars = LmTables.charTable(spark, lake, corpus, vocab, spec);
    List<Integer> rounds = store.rounds();
    TrainedModel<LstmLmSpec> best = null;
    double bestPpl = Double.POSITIVE_INFINITY;
    for (int r : rounds) {
      Checkpoint c = store.load(r);
      TrainedModel<LstmLmSpec> m = new TrainedModel<>(spec, c.parameters(), c.nextRound());
      double ppl = SplitPerplexity.score(spark, LmTables.streams(spark, lake, corpus, vocab, "valid"), m, chars,
          SplitPerplexity.DEFAULT_WINDOW, corpus + "/" + vocab + " valid").perplexity();
      System.out.printf(Locale.ROOT, "checkpoint of round %d: valid ppl %.2f%n", c.nextRound(), ppl);
      if (ppl < bestPpl) {
        bestPpl = ppl;
        best = m;
      }
    }
    if (best == null) {
      throw new IllegalStateException("the run kept no checkpoint in " + checkpointDir);
    }
    return new Selection(best, bestPpl, rounds.size());
  }

  /** Parameters of the input layer: every group before the first LSTM layer's. */
  static long inputParameters(ParameterLayout layout) {
    long n = 0;
    for (ParameterLayout.Group g : layout.groups()) {
      if (g.name().startsWith("lstm") || g.name().startsWith("softmax")) {
        continue;
      }
      n += (long) g.rows() * g.cols();
    }
    return n;
  }

  private static <T> T parse(T job, String... args) {
    new CommandLine(job).parseArgs(args);
    return job;
  }
}
