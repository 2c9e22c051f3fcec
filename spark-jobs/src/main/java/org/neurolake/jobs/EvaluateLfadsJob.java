package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.lfads.LfadsData;
import org.neurolake.lfads.LfadsRunData;
import org.neurolake.train.RunRecord;
import org.neurolake.lfads.LfadsEvaluation;
import org.neurolake.lfads.LfadsPlots;
import org.neurolake.lfads.LfadsSession;
import org.neurolake.lfads.NlbEvaluation;
import org.neurolake.lfads.SpikeShards;
import org.neurolake.model.neural.ForwardPrediction;
import org.neurolake.model.neural.NeuronSplit;
import org.neurolake.model.neural.Rates;
import org.neurolake.model.neural.SpikeCounts;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.Split;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate-lfads", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Scores an LFADS run's inferred rates (lfads_outputs) on the run's test trials, with two baselines fit in the"
            + " same run on its training trials and tuned on its validation trials: Gaussian smoothing of the spikes"
            + " and a linear latent model (factor analysis of smoothed counts + Poisson GLM readout).",
        "Synthetic sessions (with truth): R^2 of inferred vs true rates (mean over neurons, and pooled). Sessions"
            + " with held-out neurons: co-bps (bits per spike over the per-neuron mean, as the Neural Latents"
            + " Benchmark), and PSTH R^2 (psth_r2) of every model when the trials have conditions. With"
            + " data.forward-bins=F in the run, every model sees only the first bins and fp_bps scores its"
            + " prediction of every neuron on the last F. Writes evaluations (model=lfads, smoothing, linear_latent) and PNG plots to"
            + " <lake>/reports/<run-id>/plots."})
public final class EvaluateLfadsJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Mixin TrainedRunOptions run = new TrainedRunOptions();

  @Option(names = "--session", description = "The session (default: the one the run trained on).")
  String session;

  @Option(names = "--plots", description = "Plot folder (default: <lake>/reports/<run-id>/plots).")
  String plots;

  public record Config(Lake lake, String runId, String session, Path checkpointDir, Path plots) {
    public Config {
      PartitionKey.requireSafe(runId);
      if (session != null) {
        PartitionKey.requireSafe(session);
      }
    }
  }

  /**
   * The evaluation (metrics and the rates plotted), the NLB metrics computed from its rates
   * ({@link NlbEvaluation}) and the plots written.
   */
  public record Result(LfadsEvaluation.Result evaluation, List<Metric> nlbMetrics, List<Path> plots) {
    public Result {
      nlbMetrics = List.copyOf(nlbMetrics);
      plots = List.copyOf(plots);
    }

    public List<Metric> metrics() {
      List<Metric> all = new ArrayList<>(evaluation.metrics());
      all.addAll(nlbMetrics);
      return all;
    }

    /** The value of a test-split {@code metric} for {@code model}; throws when there is none. */
    public double get(String model, String metric) {
      return nlbMetrics.stream().filter(m -> m.model().equals(model) && m.metric().equals(metric)).findFirst()
          .map(Metric::value).orElseGet(() -> evaluation.get(model, metric));
    }
  }

  public Config config() {
    Lake lake = common.lake();
    String runId = run.runId();
    Path ckpt = run.checkpointDir(lake);
    Path p = plots != null ? new Path(HadoopPaths.toUri(plots))
        : new Path(ReportJob.runDirectory(lake, runId), ReportJob.MODEL_PLOTS);
    return new Config(lake, runId, session, ckpt, p);
  }

  /** Reads the run's split of its session, its test rates and the truth; evaluates; writes metrics and plots. */
  public static Result run(SparkSession spark, Config cfg) {
    LfadsRunData trained = RunRecord.read(spark.sparkContext().hadoopConfiguration(), cfg.checkpointDir())
        .data(LfadsRunData.class);
    String session = cfg.session() != null ? cfg.session() : trained.session();
    LfadsData data = trained.split().toData();
    // The run's windows: the baselines are fit and every model scored on the same cut of the trials.
    LfadsSession s = LfadsSession.load(spark, cfg.lake(), session, data, trained.window());
    LfadsSession.Collected trainTrials = s.collect(Split.TRAIN);
    LfadsSession.Collected validTrials = s.collect(Split.DEV);
    LfadsSession.Collected testTrials = s.collect(Split.TEST);
    if (validTrials.size() == 0 || testTrials.size() == 0) {
      throw new IllegalArgumentException("session " + session + " has " + validTrials.size() + " validation and "
          + testTrials.size() + " test trials under " + data + ": need both");
    }
    Map<Integer, double[]> truthByTrial = truth(spark, cfg.lake(), session);
    LfadsEvaluation.Input whole = new LfadsEvaluation.Input(session,
        new NeuronSplit(s.shape().nNeurons(), s.heldIn(), s.heldOut()),
        trials(trainTrials, Map.of(), s.shape()), trials(validTrials, truthByTrial, s.shape()),
        trials(testTrials, truthByTrial, s.shape()), lfadsRates(spark, cfg, session, validTrials, s.shape()),
        lfadsRates(spark, cfg, session, testTrials, s.shape()));
    // With bins held out in time every model is fit and scored (co-bps, R^2, PSTH R^2) on the bins
    // it saw; fp-bps scores the bins after them.
    int forwardBins = data.forwardBins();
    LfadsEvaluation.Input input = forwardBins == 0 ? whole : whole.firstBins(s.observedBins());
    LfadsEvaluation.Result evaluation = LfadsEvaluation.defaults().evaluate(input);
    List<Metric> nlb = new ArrayList<>(NlbEvaluation.psthR2(session, input.test().counts(),
        conditions(s, testTrials), evaluation.testRates()));
    if (forwardBins > 0) {
      nlb.addAll(NlbEvaluation.forwardBitsPerSpike(whole, forwardBins, evaluation.baselines(),
          ForwardPrediction.Config.defaults()));
    }

    Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Path> plots = List.of(LfadsPlots.writeRates(conf, new Path(cfg.plots(), "rates.png"), evaluation.testRates()),
        plotFactors(spark, cfg, session, testTrials, s.shape().binMs()));
    Result result = new Result(evaluation, nlb, plots);
    EvaluationsTable.append(spark, cfg.lake(), cfg.runId(), null, result.metrics());
    return result;
  }

  /** The condition of each of the trials, in their order (null where a trial has none). */
  private static String[] conditions(LfadsSession s, LfadsSession.Collected trials) {
    Map<Integer, String> byTrial = new HashMap<>();
    for (Row r : s.split(Split.TEST).select(Columns.TRIAL, Columns.CONDITION).collectAsList()) {
      byTrial.put(r.getInt(0), r.getString(1));
    }
    String[] out = new String[trials.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = byTrial.get(trials.trials()[i]);
    }
    return out;
  }

  /** A split's trials as the evaluation takes them; true rates when the session has them. */
  private static LfadsEvaluation.Trials trials(LfadsSession.Collected trials, Map<Integer, double[]> truthByTrial,
      SpikeShards.Shape shape) {
    SpikeCounts counts = SpikeCounts.fromNeuronMajor(trials.counts(), shape.nNeurons(), shape.nBins(),
        shape.binMs());
    Rates truth = truthByTrial.isEmpty() ? null
        : ratesOf(trials, truthByTrial, shape, "the truth table of the session", "");
    return new LfadsEvaluation.Trials(trials.trials(), counts, truth);
  }

  /** The run's inferred rates of the given trials, from lfads_outputs (which must cover them). */
  private static Rates lfadsRates(SparkSession spark, Config cfg, String session, LfadsSession.Collected trials,
      SpikeShards.Shape shape) {
    Map<Integer, double[]> byTrial = new HashMap<>();
    for (Row r : TableReader.read(spark, cfg.lake(), LakeTables.LFADS_OUTPUTS)
        .where(col(Columns.RUN_ID).equalTo(cfg.runId()).and(col(Columns.SESSION).equalTo(session)))
        .select(Columns.TRIAL, Columns.RATES_HZ).collectAsList()) {
      byTrial.put(r.getInt(0), doubles(r.getList(1)));
    }
    return ratesOf(trials, byTrial, shape, "lfads_outputs of session " + session + " for run " + cfg.runId(),
        ": run infer-lfads first");
  }

  /** True rates (Hz, neuron-major) by trial, empty when the session has no truth (a real recording). */
  private static Map<Integer, double[]> truth(SparkSession spark, Lake lake, String session) {
    Map<Integer, double[]> out = new HashMap<>();
    Path table = lake.tablePath(LakeTables.TRUTH);
    try {
      if (!table.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(table)) {
        return out;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for " + table, e);
    }
    for (Row r : TableReader.read(spark, lake, LakeTables.TRUTH).where(col(Columns.SESSION).equalTo(session))
        .select(Columns.TRIAL, Columns.RATES_HZ).collectAsList()) {
      out.put(r.getInt(0), doubles(r.getList(1)));
    }
    return out;
  }

  /**
   * Rates (Hz, neuron-major by trial number) of the given trials, in their order; all must be there,
   * else the error names the {@code source} and the {@code remedy}.
   */
  private static Rates ratesOf(LfadsSession.Collected trials, Map<Integer, double[]> hzByTrial,
      SpikeShards.Shape shape, String source, String remedy) {
    List<double[]> rates = new ArrayList<>();
    for (int t : trials.trials()) {
      double[] v = hzByTrial.get(t);
      if (v == null) {
        throw new IllegalArgumentException(source + " has no trial " + t + remedy);
      }
      rates.add(v);
    }
    return Rates.fromHzNeuronMajor(rates, shape.nNeurons(), shape.nBins(), shape.binMs());
  }

  private static double[] doubles(List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** The inferred factors of 3 test trials, one panel per trial. */
  private static Path plotFactors(SparkSession spark, Config cfg, String session, LfadsSession.Collected trials,
      double binMs) {
    List<Integer> pick = new ArrayList<>();
    for (int i = 0; i < Math.min(3, trials.size()); i++) {
      pick.add(trials.trials()[i]);
    }
    List<Row> rows = TableReader.read(spark, cfg.lake(), LakeTables.LFADS_OUTPUTS)
        .where(col(Columns.RUN_ID).equalTo(cfg.runId()).and(col(Columns.SESSION).equalTo(session))
            .and(col(Columns.TRIAL).isin(pick.toArray())))
        .orderBy(Columns.TRIAL).select(Columns.TRIAL, Columns.N_FACTORS, Columns.N_BINS, Columns.FACTORS).collectAsList();
    List<JFreeChart> panels = new ArrayList<>();
    for (Row r : rows) {
      panels.add(LfadsPlots.factorsChart(r.getInt(0), binMs, r.getInt(1), r.getInt(2), doubles(r.getList(3))));
    }
    return LfadsPlots.writeGrid(spark.sparkContext().hadoopConfiguration(), new Path(cfg.plots(), "factors.png"),
        panels, panels.size());
  }

  @Override
  public Integer call() {
    Config cfg = config();
    CatalogSettings catalog = common.catalog();
    if (common.dryRun()) {
      return new DryRun("evaluate-lfads").lake(cfg.lake()).catalog(catalog)
          .reads("the run's run.json", cfg.checkpointDir())
          .reads("lfads_outputs", cfg.lake().tablePath(LakeTables.LFADS_OUTPUTS))
          .reads("spike_trials and truth", cfg.lake().tablePath(LakeTables.SPIKE_TRIALS))
          .writes("evaluations", cfg.lake().tablePath(LakeTables.EVALUATIONS))
          .writes("plots", cfg.plots())
          .print();
    }
    SparkSession spark = JobRunner.session("evaluate-lfads " + cfg.runId(), catalog);
    Result r = run(spark, cfg);
    r.metrics().forEach(m -> System.out.printf("evaluate-lfads %s: %-14s %-16s %s%n", cfg.runId(), m.model(),
        m.metric(), m.value()));
    System.out.println("plots: " + r.plots());
    catalog.registerWritten(spark, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new EvaluateLfadsJob(), args);
  }
}
