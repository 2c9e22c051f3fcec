package org.neurolake.jobs;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.vae.Imputation;
import org.neurolake.vae.SentenceTables;
import org.neurolake.vae.SentenceVaeFamily;
import org.neurolake.vae.VaeRunEvaluation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "impute", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Imputation (Bowman et al. 2016): the last 20% of the words of --split's sentences are removed and"
        + " filled after the visible prefix by beam search (--decode beam, the default; --beam-size) or greedy"
        + " decoding, by a sentence-vae run (z = posterior mean of the"
        + " prefix) and, with --baseline-run-id, by its RNNLM baseline. Each fill is scored by log p(held-out words |"
        + " prefix) and its exact match -> imputations (partition run_id of each model, replaced atomically) and"
        + " summary rows impute_* in evaluations (model=sentence-vae).",
        "Example: impute --run-id vae-ptb --baseline-run-id rnnlm-ptb --split test --sentences 1000"})
public final class ImputeJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--baseline-run-id", description = "A second run (the RNNLM baseline) imputing the same sentences.")
  String baselineRunId;

  @Option(names = "--baseline-checkpoint-dir",
      description = "The baseline's checkpoints (default: <lake>/checkpoints/<baseline-run-id>).")
  String baselineCheckpointDir;

  @Option(names = "--split", defaultValue = "test", description = "Split (default: ${DEFAULT-VALUE}).")
  String split;

  @Option(names = "--sentences", defaultValue = "0",
      description = "The first N sentences by sent_id; 0 = all (default: ${DEFAULT-VALUE}).")
  int sentences;

  @Option(names = "--batch", defaultValue = "64", description = "Sentences per pass (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--decode", defaultValue = "beam",
      description = "greedy or beam: how the held-out words are filled (default: ${DEFAULT-VALUE}).")
  String decode;

  @Option(names = "--beam-size", defaultValue = "" + Imputation.Decoding.DEFAULT_BEAM_SIZE,
      description = "Hypotheses kept by --decode beam (default: ${DEFAULT-VALUE}; 1 fills as greedy does).")
  int beamSize;

  /** A run to impute with: its id and checkpoint directory. */
  public record ModelRun(String runId, Path checkpointDir) {
    public ModelRun {
      PartitionKey.requireSafe(runId);
    }
  }

  public record Config(Lake lake, List<ModelRun> runs, String split, int sentences, int batch,
      Imputation.Decoding decoding) {
    public Config {
      runs = List.copyOf(runs);
      java.util.Objects.requireNonNull(decoding, "decoding");
      PartitionKey.requireSafe(split);
      if (runs.isEmpty() || sentences < 0 || batch < 1) {
        throw new IllegalArgumentException("need a run, --sentences >= 0 and --batch >= 1, got " + runs + ", "
            + sentences + ", " + batch);
      }
    }
  }

  /** Per run id, its fills (in sent_id order), their sent_ids and the summary metrics. */
  public record RunResult(List<Imputation.Fill> fills, List<Long> sentIds, Map<String, Double> summary) {}

  public Config config() {
    Lake lake = common.lake();
    List<ModelRun> runs = new ArrayList<>();
    runs.add(new ModelRun(run.runId(), run.checkpointDir(lake)));
    if (baselineRunId != null) {
      runs.add(new ModelRun(baselineRunId, TrainedRunOptions.checkpointDir(baselineCheckpointDir, lake, baselineRunId)));
    }
    return new Config(lake, runs, split, sentences, batch, decoding());
  }

  private Imputation.Decoding decoding() {
    switch (decode) {
      case "greedy":
        if (beamSize != Imputation.Decoding.DEFAULT_BEAM_SIZE && beamSize != 1) {
          throw new IllegalArgumentException("--beam-size " + beamSize + " is for --decode beam, not greedy");
        }
        return Imputation.Decoding.greedy();
      case "beam":
        return Imputation.Decoding.beam(beamSize);
      default:
        throw new IllegalArgumentException("--decode is greedy or beam, got " + decode);
    }
  }

  public static Map<String, RunResult> run(SparkSession spark, Config cfg) {
    Map<String, RunResult> out = new LinkedHashMap<>();
    PartitionCommitter committer = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    String dataset = null;
    List<SentenceTables.Sentence> split = null;
    for (ModelRun r : cfg.runs()) {
      VaeRunEvaluation.LoadedRun loaded = VaeRunEvaluation.load(spark, cfg.lake(), r.checkpointDir());
      if (dataset == null) {
        dataset = loaded.dataset();
        split = SentenceTables.collectWithIds(spark, cfg.lake(), loaded.data().corpus(), cfg.split(), loaded.words());
        if (cfg.sentences() > 0 && split.size() > cfg.sentences()) {
          split = split.subList(0, cfg.sentences());
        }
      } else if (!dataset.equals(loaded.dataset())) {
        throw new IllegalArgumentException("run " + r.runId() + " trained on " + loaded.dataset() + ", the first run on "
            + dataset + ": imputations compare models on the same sentences and vocabulary");
      }
      VaeRunEvaluation.Trained trained = loaded.latest();
      List<int[]> ids = split.stream().map(SentenceTables.Sentence::ids).toList();
      List<Imputation.Fill> fills = new Imputation(cfg.batch(), cfg.decoding()).fill(trained.model(), ids);
      Map<String, Double> summary = Imputation.summary(fills);
      List<Long> sentIds = new ArrayList<>();
      Timestamp now = new Timestamp(System.currentTimeMillis());
      List<Row> rows = new ArrayList<>();
      List<String> words = loaded.words();
      for (Imputation.Fill f : fills) {
        long sentId = split.get(f.index()).sentId();
        sentIds.add(sentId);
        rows.add(RowFactory.create(cfg.split(), sentId, SentenceTables.text(f.prefix(), words),
            SentenceTables.text(f.heldOut(), words), SentenceTables.text(f.fill(), words), f.heldOut().length,
            f.heldOutLogLikelihood(), f.matchedWords(), f.exactMatch(), cfg.decoding().label(),
            cfg.decoding().beamSize(), now));
      }
      committer.replace(spark.createDataFrame(rows, LakeTables.IMPUTATIONS.dataSchema()), cfg.lake(),
          LakeTables.IMPUTATIONS, PartitionKey.of(LakeTables.IMPUTATIONS, r.runId()));
      List<Metric> metrics = new ArrayList<>();
      String d = dataset;
      summary.put(Imputation.BEAM_SIZE_METRIC, (double) cfg.decoding().beamSize());
      summary.forEach((k, v) -> metrics.add(new Metric(SentenceVaeFamily.NAME, d, cfg.split(), k, v)));
      EvaluationsTable.append(spark, cfg.lake(), r.runId(), trained.round(), metrics);
      out.put(r.runId(), new RunResult(fills, sentIds, summary));
    }
    return out;
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      DryRun dry = new DryRun("impute").lake(cfg.lake()).catalog(catalog)
          .reads("sentences", cfg.lake().tablePath(LakeTables.SENTENCES));
      for (ModelRun r : cfg.runs()) {
        dry.reads("checkpoints of " + r.runId(), r.checkpointDir())
            .writes("imputations", cfg.lake().partitionPath(LakeTables.IMPUTATIONS,
                PartitionKey.of(LakeTables.IMPUTATIONS, r.runId())));
      }
      return dry.writes("evaluations", cfg.lake().tablePath(LakeTables.EVALUATIONS)).print();
    }
    SparkSession spark = JobRunner.session("impute " + cfg.runs().get(0).runId(), catalog);
    run(spark, cfg).forEach((runId, r) -> System.out.printf("impute %s %s: %s%n", runId, cfg.split(), r.summary()));
    catalog.registerWritten(spark, LakeTables.IMPUTATIONS, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new ImputeJob(), args);
  }
}
