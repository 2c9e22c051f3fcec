package org.neurolake.vae;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.checkpoint.HadoopCheckpointStore;
import org.neurolake.eval.Metric;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.vae.SentenceVaeEvaluation;
import org.neurolake.model.vae.SentenceVaeModel;
import org.neurolake.model.vae.SentenceVaeSpec;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.report.ReportFiles;
import org.neurolake.report.RoundPlots;
import org.neurolake.train.RunRecord;

/**
 * Evaluates a sentence-VAE (or RNNLM) run: every checkpoint the run kept is scored on the valid
 * split (the bound, no importance sampling), the one with the lowest per-sentence bound is chosen,
 * and only that one is scored with all metrics (importance sampling included) on the requested
 * splits. Metrics go to model partition {@value SentenceVaeFamily#NAME}, dataset corpus/vocab_id.
 */
public final class VaeRunEvaluation {
  private VaeRunEvaluation() {}

  /** The chosen checkpoint's round, its valid bound, and its metrics per split. */
  public record Result(int round, double selectionNll, int checkpointsCompared, Map<String, Map<String, Double>> bySplit,
      List<Metric> metrics) {}

  /** A run's trained model, its data and vocabulary, loaded from its checkpoint directory. */
  public record LoadedRun(VaeData data, List<String> words, HadoopCheckpointStore store) {
    SentenceVaeModel model(int round) {
      try {
        Checkpoint c = store.load(round);
        SentenceVaeSpec spec = (SentenceVaeSpec) ModelSpecs.fromJson(c.modelSpecJson());
        SentenceVaeModel m = spec.build();
        m.setParameters(c.parameters());
        return m;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read checkpoint of round " + round + " from " + store, e);
      }
    }

    /** The model of the newest valid checkpoint, and that checkpoint's next round. */
    public Trained latest() {
      Checkpoint c = store.latestValid().orElseThrow(() ->
          new IllegalArgumentException("no valid checkpoint in " + store + ": train the run first"));
      if (!(ModelSpecs.fromJson(c.modelSpecJson()) instanceof SentenceVaeSpec spec)) {
        throw new IllegalArgumentException("the checkpoint in " + store + " is not a sentence-vae model");
      }
      SentenceVaeModel m = spec.build();
      m.setParameters(c.parameters());
      return new Trained(m, c.nextRound());
    }

    /** The run's corpus/vocab_id, the dataset of its evaluations. */
    public String dataset() {
      return data.corpus() + "/" + data.vocabId();
    }
  }

  /** A loaded model and the round of its checkpoint. */
  public record Trained(SentenceVaeModel model, int round) {}

  public static LoadedRun load(SparkSession spark, Lake lake, Path checkpointDir) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    RunRecord record = RunRecord.read(conf, checkpointDir);
    if (!SentenceVaeFamily.NAME.equals(record.family())) {
      throw new IllegalArgumentException("run in " + checkpointDir + " is of family " + record.family() + ", not "
          + SentenceVaeFamily.NAME);
    }
    VaeData data = record.data(VaeData.class);
    return new LoadedRun(data, SentenceTables.words(spark, lake, data.corpus(), data.vocabId()),
        new HadoopCheckpointStore(conf, checkpointDir));
  }

  /** The PNG of the periodic valid KL and reconstruction over training, in the run's report folder. */
  public static final String KL_RECON_PLOT = "kl_recon.png";

  /**
   * Plots the run's periodic valid {@code kl} and {@code recon} (the evaluations the training wrote,
   * rows with a round) into {@code plots}/{@value #KL_RECON_PLOT}; none when there are no such rows.
   */
  public static Optional<Path> plotTraining(SparkSession spark, Lake lake, String runId, String validSplit,
      Path plots) {
    if (!ReportFiles.exists(spark.sparkContext().hadoopConfiguration(),
        lake.tablePath(LakeTables.EVALUATIONS))) {
      return Optional.empty();
    }
    Map<String, Map<Integer, Double>> series = new LinkedHashMap<>();
    series.put("kl", new TreeMap<>());
    series.put("recon", new TreeMap<>());
    TableReader.read(spark, lake, LakeTables.EVALUATIONS)
        .where(col(Columns.RUN_ID).equalTo(runId)
            .and(col(Columns.SPLIT).equalTo(validSplit))
            .and(col(Columns.ROUND).isNotNull())
            .and(col(Columns.METRIC).isin("kl", "recon")))
        .select(Columns.METRIC, Columns.ROUND,
            Columns.VALUE)
        .collectAsList().forEach(r -> series.get(r.getString(0)).put(r.getInt(1), r.getDouble(2)));
    if (series.get("kl").isEmpty() && series.get("recon").isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(RoundPlots.writeOverRounds(spark.sparkContext()
        .hadoopConfiguration(), new Path(plots, KL_RECON_PLOT), "Valid KL and reconstruction per sentence, run "
        + runId, "nats per sentence", series));
  }

  public static Result evaluate(SparkSession spark, Lake lake, Path checkpointDir, List<String> splits, int samples,
      int batch, long seed) {
    LoadedRun run = load(spark, lake, checkpointDir);
    List<Integer> rounds = run.store().rounds();
    if (rounds.isEmpty()) {
      throw new IllegalArgumentException("no checkpoint in " + checkpointDir + ": train the run first");
    }
    String corpus = run.data().corpus();
    List<int[]> valid = SentenceTables.collect(spark, lake, corpus, run.data().validSplit(), run.words());
    SentenceVaeEvaluation bound = new SentenceVaeEvaluation(batch, 0, seed);
    int best = -1;
    double bestNll = Double.POSITIVE_INFINITY;
    for (int r : rounds) {
      double nll = bound.evaluate(run.model(r), valid).get("nll");
      System.out.printf("evaluate-vae: checkpoint of round %d: %s nll %.3f%n", r, run.data().validSplit(), nll);
      if (nll < bestNll) {
        bestNll = nll;
        best = r;
      }
    }
    SentenceVaeModel chosen = run.model(best);
    SentenceVaeEvaluation full = new SentenceVaeEvaluation(batch, samples, seed);
    Map<String, Map<String, Double>> bySplit = new LinkedHashMap<>();
    List<Metric> metrics = new ArrayList<>();
    String dataset = corpus + "/" + run.data().vocabId();
    for (String split : splits) {
      List<int[]> sentences = split.equals(run.data().validSplit()) ? valid
          : SentenceTables.collect(spark, lake, corpus, split, run.words());
      Map<String, Double> m = full.evaluate(chosen, sentences);
      bySplit.put(split, m);
      m.forEach((k, v) -> metrics.add(new Metric(SentenceVaeFamily.NAME, dataset, split, k, v)));
    }
    return new Result(best, bestNll, rounds.size(), bySplit, metrics);
  }
}
