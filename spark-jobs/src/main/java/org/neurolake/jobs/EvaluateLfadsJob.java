package org.neurolake.jobs;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.jfree.chart.JFreeChart;
import org.neurolake.lfads.LfadsData;
import org.neurolake.lfads.LfadsRunData;
import org.neurolake.train.RunRecord;
import org.neurolake.lfads.LfadsModels;
import org.neurolake.lfads.LfadsPlots;
import org.neurolake.lfads.LfadsSession;
import org.neurolake.model.neural.GaussianSmoothingBaseline;
import org.neurolake.model.neural.LinearLatentBaseline;
import org.neurolake.model.neural.NeuronSplit;
import org.neurolake.model.neural.PoissonMetrics;
import org.neurolake.model.neural.RateR2;
import org.neurolake.model.neural.Rates;
import org.neurolake.model.neural.SpikeCounts;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.Split;
import org.neurolake.train.TrainingRun;
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
            + " Benchmark). Writes evaluations (model=lfads, smoothing, linear_latent) and PNG plots to"
            + " <lake>/reports/<run-id>/plots."})
public final class EvaluateLfadsJob implements Callable<Integer> {
  public static final String SMOOTHING = "smoothing";
  public static final String LINEAR_LATENT = "linear_latent";

  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--run-id", required = true, description = "The run whose lfads_outputs to score.")
  String runId;

  @Option(names = "--session", description = "The session (default: the one the run trained on).")
  String session;

  @Option(names = "--checkpoint-dir", description = "The run's checkpoints (default: <lake>/checkpoints/<run-id>).")
  String checkpointDir;

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

  /** The figures, by model then metric, and the plots written. */
  public record Result(Map<String, Map<String, Double>> metrics, List<Path> plots) {
    public double get(String model, String metric) {
      Double v = metrics.getOrDefault(model, Map.of()).get(metric);
      if (v == null) {
        throw new IllegalArgumentException("no " + metric + " for " + model + " in " + metrics);
      }
      return v;
    }
  }

  public Config config() {
    Lake lake = common.lake();
    Path ckpt = checkpointDir != null ? new Path(HadoopPaths.toUri(checkpointDir))
        : TrainingRun.Config.defaultCheckpointDir(lake, runId);
    Path p = plots != null ? new Path(HadoopPaths.toUri(plots))
        : new Path(ReportJob.runDirectory(lake, PartitionKey.requireSafe(runId)), ReportJob.MODEL_PLOTS);
    return new Config(lake, runId, session, ckpt, p);
  }

  public static Result run(SparkSession spark, Config cfg) {
    LfadsRunData trained = RunRecord.read(spark.sparkContext().hadoopConfiguration(), cfg.checkpointDir())
        .data(LfadsRunData.class);
    String session = cfg.session() != null ? cfg.session() : trained.session();
    LfadsData data = trained.split().toData();
    LfadsSession s = LfadsSession.load(spark, cfg.lake(), session, data);
    int nNeurons = s.shape().nNeurons();
    int nBins = s.shape().nBins();
    double binMs = s.shape().binMs();
    LfadsSession.Collected trainTrials = s.collect(Split.TRAIN);
    LfadsSession.Collected validTrials = s.collect(Split.DEV);
    LfadsSession.Collected testTrials = s.collect(Split.TEST);
    if (validTrials.size() == 0 || testTrials.size() == 0) {
      throw new IllegalArgumentException("session " + session + " has " + validTrials.size() + " validation and "
          + testTrials.size() + " test trials under " + data + ": need both");
    }
    SpikeCounts train = SpikeCounts.fromNeuronMajor(trainTrials.counts(), nNeurons, nBins, binMs);
    SpikeCounts valid = SpikeCounts.fromNeuronMajor(validTrials.counts(), nNeurons, nBins, binMs);
    SpikeCounts test = SpikeCounts.fromNeuronMajor(testTrials.counts(), nNeurons, nBins, binMs);
    NeuronSplit split = new NeuronSplit(nNeurons, s.heldIn(), s.heldOut());

    Rates lfadsTest = lfadsRates(spark, cfg, session, testTrials, s);
    Map<Integer, double[]> truthByTrial = truth(spark, cfg.lake(), session);
    boolean synthetic = !truthByTrial.isEmpty();
    boolean heldOut = s.heldOut().length > 0;
    if (!synthetic && !heldOut) {
      throw new IllegalArgumentException("session " + session + " has no truth table and the run held out no"
          + " neurons (data.held-out-fraction = 0): there is nothing to score the rates against");
    }

    Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
    Rates smoothingTest = null;
    if (synthetic) {
      Rates validTruth = truthRates(truthByTrial, validTrials, nNeurons, nBins, binMs);
      Rates testTruth = truthRates(truthByTrial, testTrials, nNeurons, nBins, binMs);
      put(metrics, LfadsModels.MODEL, "r2_rates", RateR2.meanOverNeurons(lfadsTest, testTruth));
      put(metrics, LfadsModels.MODEL, "r2_rates_pooled", RateR2.pooled(lfadsTest, testTruth));

      GaussianSmoothingBaseline.ObservedChoice smoothing = GaussianSmoothingBaseline.chooseObserved(
          GaussianSmoothingBaseline.Config.defaults(), valid, validTruth);
      smoothingTest = smoothing.predict(test);
      put(metrics, SMOOTHING, "r2_rates", RateR2.meanOverNeurons(smoothingTest, testTruth));
      put(metrics, SMOOTHING, "r2_rates_pooled", RateR2.pooled(smoothingTest, testTruth));
      put(metrics, SMOOTHING, "sigma_bins", smoothing.sigmaBins());

      LinearLatentBaseline.Model linear = LinearLatentBaseline.fit(LinearLatentBaseline.Config.defaults(), train, valid,
          split, validTruth);
      Rates linearTest = linear.predict(test.neurons(s.heldIn()));
      put(metrics, LINEAR_LATENT, "r2_rates", RateR2.meanOverNeurons(linearTest, testTruth));
      put(metrics, LINEAR_LATENT, "r2_rates_pooled", RateR2.pooled(linearTest, testTruth));
      metrics.get(LINEAR_LATENT).putAll(linear.hyperparameters());
      plotRates(spark.sparkContext().hadoopConfiguration(), cfg, testTrials, testTruth, lfadsTest, smoothingTest,
          linearTest);
    }
    if (heldOut) {
      SpikeCounts testOut = test.neurons(s.heldOut());
      put(metrics, LfadsModels.MODEL, "co_bps", PoissonMetrics.bitsPerSpike(lfadsTest.neurons(s.heldOut()), testOut));
      GaussianSmoothingBaseline.HeldOutModel smoothing = GaussianSmoothingBaseline.fitHeldOut(
          GaussianSmoothingBaseline.Config.defaults(), train, valid, split);
      Rates smoothed = smoothing.predict(test.neurons(s.heldIn()));
      put(metrics, SMOOTHING, "co_bps", PoissonMetrics.bitsPerSpike(smoothed.neurons(s.heldOut()), testOut));
      LinearLatentBaseline.Model linear = LinearLatentBaseline.fit(LinearLatentBaseline.Config.defaults(), train, valid,
          split, null);
      Rates linearTest = linear.predict(test.neurons(s.heldIn()));
      put(metrics, LINEAR_LATENT, "co_bps", PoissonMetrics.bitsPerSpike(linearTest.neurons(s.heldOut()), testOut));
      if (!synthetic) {
        plotRates(spark.sparkContext().hadoopConfiguration(), cfg, testTrials, null, lfadsTest, smoothed, linearTest);
      }
    }
    List<Path> plots = new ArrayList<>();
    plots.add(new Path(cfg.plots(), "rates.png"));
    plots.add(plotFactors(spark, cfg, session, testTrials, binMs));

    List<org.neurolake.eval.Metric> rows = new ArrayList<>();
    metrics.forEach((model, m) -> m.forEach((k, v) -> rows.add(new org.neurolake.eval.Metric(model, session, "test", k,
        v))));
    org.neurolake.eval.EvaluationsTable.append(spark, cfg.lake(), cfg.runId(), null, rows);
    return new Result(metrics, plots);
  }

  private static void put(Map<String, Map<String, Double>> metrics, String model, String metric, double value) {
    metrics.computeIfAbsent(model, k -> new LinkedHashMap<>()).put(metric, value);
  }

  /** The run's inferred rates of the given trials, from lfads_outputs (which must cover them). */
  private static Rates lfadsRates(SparkSession spark, Config cfg, String session, LfadsSession.Collected trials,
      LfadsSession s) {
    Map<Integer, double[]> byTrial = new java.util.HashMap<>();
    for (Row r : TableReader.read(spark, cfg.lake(), LakeTables.LFADS_OUTPUTS)
        .where(col(Columns.RUN_ID).equalTo(cfg.runId()).and(col(Columns.SESSION).equalTo(session)))
        .select(Columns.TRIAL, Columns.RATES_HZ).collectAsList()) {
      byTrial.put(r.getInt(0), doubles(r.getList(1)));
    }
    List<double[]> rates = new ArrayList<>();
    for (int t : trials.trials()) {
      double[] v = byTrial.get(t);
      if (v == null) {
        throw new IllegalArgumentException("lfads_outputs has no trial " + t + " of session " + session + " for run "
            + cfg.runId() + ": run infer-lfads first");
      }
      rates.add(v);
    }
    return Rates.fromHzNeuronMajor(rates, s.shape().nNeurons(), s.shape().nBins(), s.shape().binMs());
  }

  /** True rates (Hz, neuron-major) by trial, empty when the session has no truth (a real recording). */
  private static Map<Integer, double[]> truth(SparkSession spark, Lake lake, String session) {
    Map<Integer, double[]> out = new java.util.HashMap<>();
    org.apache.hadoop.fs.Path table = lake.tablePath(LakeTables.TRUTH);
    try {
      if (!table.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(table)) {
        return out;
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot look for " + table, e);
    }
    for (Row r : TableReader.read(spark, lake, LakeTables.TRUTH).where(col(Columns.SESSION).equalTo(session))
        .select(Columns.TRIAL, Columns.RATES_HZ).collectAsList()) {
      out.put(r.getInt(0), doubles(r.getList(1)));
    }
    return out;
  }

  private static Rates truthRates(Map<Integer, double[]> byTrial, LfadsSession.Collected trials, int nNeurons,
      int nBins, double binMs) {
    List<double[]> rates = new ArrayList<>();
    for (int t : trials.trials()) {
      double[] v = byTrial.get(t);
      if (v == null) {
        throw new IllegalArgumentException("the truth table has no trial " + t);
      }
      rates.add(v);
    }
    return Rates.fromHzNeuronMajor(rates, nNeurons, nBins, binMs);
  }

  private static double[] doubles(List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  /** Rates of 4 neurons on 3 test trials: truth (when known), LFADS and the baselines, in Hz. */
  private static void plotRates(Configuration conf, Config cfg, LfadsSession.Collected trials, Rates truth,
      Rates lfads, Rates smoothing, Rates linear) {
    List<JFreeChart> panels = new ArrayList<>();
    int nTrials = Math.min(3, trials.size());
    int nNeurons = Math.min(4, lfads.neurons());
    for (int i = 0; i < nTrials; i++) {
      for (int n = 0; n < nNeurons; n++) {
        panels.add(LfadsPlots.chart("trial " + trials.trials()[i] + ", neuron " + n, "Hz", lfads.binMs(),
            LfadsPlots.series("true", truth == null ? null : hz(truth, i, n), "LFADS", hz(lfads, i, n), "smoothing",
                smoothing == null ? null : hz(smoothing, i, n), "linear latent", hz(linear, i, n))));
      }
    }
    LfadsPlots.writeGrid(conf, new Path(cfg.plots(), "rates.png"), panels, nNeurons);
  }

  private static double[] hz(Rates r, int trial, int neuron) {
    double[] out = new double[r.bins()];
    for (int t = 0; t < out.length; t++) {
      out[t] = r.rateHz(trial, t, neuron);
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
      int k = r.getInt(1);
      int bins = r.getInt(2);
      double[] f = doubles(r.getList(3));
      Map<String, double[]> series = new LinkedHashMap<>();
      for (int j = 0; j < k; j++) {
        series.put("factor " + j, java.util.Arrays.copyOfRange(f, j * bins, (j + 1) * bins));
      }
      panels.add(LfadsPlots.chart("factors, trial " + r.getInt(0), "factor", binMs, series));
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
    r.metrics().forEach((model, m) -> System.out.printf("evaluate-lfads %s: %-14s %s%n", cfg.runId(), model, m));
    System.out.println("plots: " + r.plots());
    catalog.registerWritten(spark, LakeTables.EVALUATIONS);
    return 0;
  }

  public static void main(String[] args) {
    JobRunner.main(new EvaluateLfadsJob(), args);
  }
}
