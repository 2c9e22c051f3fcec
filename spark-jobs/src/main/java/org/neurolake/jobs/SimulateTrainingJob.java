package org.neurolake.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.family.ModelFamilies;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.sim.AsyncSimulation;
import org.neurolake.sim.SimEvaluation;
import org.neurolake.sim.SimPlots;
import org.neurolake.sim.SimResult;
import org.neurolake.sim.SimStep;
import org.neurolake.sim.Simulation;
import org.neurolake.sim.StepTimes;
import org.neurolake.sim.SyncSimulation;
import org.neurolake.train.RunOptions;
import org.neurolake.train.TrainerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "simulate-training", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Compares engine settings at any number of machines on one family's real data and model, with real"
            + " arithmetic and a virtual clock: synchronous SGD with b backups (fixed, or auto), and asynchronous SGD."
            + " Each machine's step time is drawn from --step-times; every setting sees the same draws.",
        "Writes sim_rounds (partition sim_id), evaluations (run_id <sim-id>-<setting>, round = updates) and"
            + " <lake>/reports/<sim-id>/sim_vs_time.png, sim_vs_updates.png."})
public final class SimulateTrainingJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--family", required = true, description = "The model family (e.g. mlp).")
  String family;

  @Option(names = "--dataset", required = true, description = "What the family trains on (e.g. an examples dataset).")
  String dataset;

  @Option(names = "--config", description = "Run options file: local-steps, batch-size, rounds, learning rate, model.*.")
  String configFile;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Overrides an option of the file. Repeatable.")
  Map<String, String> overrides = new java.util.LinkedHashMap<>();

  @Option(names = "--sim-id", required = true, description = "Names this simulation's outputs.")
  String simId;

  @Option(names = "--machines", defaultValue = "100", description = "M = N + b machines (default: ${DEFAULT-VALUE}).")
  int machines;

  @Option(names = "--backups", split = ",", defaultValue = "0,2,4,6,10,auto",
      description = "Synchronous settings: values of b, 'auto' for automatic (default: ${DEFAULT-VALUE}).")
  List<String> backups;

  @Option(names = "--async", negatable = true, defaultValue = "true",
      description = "Also simulate asynchronous SGD on the M machines (default: ${DEFAULT-VALUE}).")
  boolean async;

  @Option(names = "--async-scale", defaultValue = "1.0",
      description = "Asynchronous updates add this times a worker's change (default: ${DEFAULT-VALUE}).")
  double asyncScale;

  @Option(names = "--step-times", defaultValue = "pareto-tail:1.0:0.2:0.05:2.0:1.5",
      description = "lognormal:<median_s>:<sigma> or pareto-tail:<base_s>:<jitter>:<p>:<scale_s>:<alpha>"
          + " (default: ${DEFAULT-VALUE}).")
  String stepTimes;

  @Option(names = "--time-seed", defaultValue = "1", description = "Seed of the step-time draws (default: ${DEFAULT-VALUE}).")
  long timeSeed;

  @Option(names = "--max-virtual-s", defaultValue = "0",
      description = "Stop each setting at this virtual time; 0: run the config's rounds (default: ${DEFAULT-VALUE}).")
  double maxVirtualS;

  @Option(names = "--eval-every", defaultValue = "10",
      description = "Evaluate every this many rounds (async: every this many x M updates) (default: ${DEFAULT-VALUE}).")
  int evalEvery;

  @Option(names = "--auto-every", defaultValue = "10", description = "Rounds between choices of b (default: ${DEFAULT-VALUE}).")
  int autoEvery;

  @Option(names = "--max-auto-backups", description = "Largest b auto considers (default: 10% of M).")
  Integer maxAutoBackups;

  @Option(names = "--plot", defaultValue = "test:accuracy", description = "split:metric plotted (default: ${DEFAULT-VALUE}).")
  String plot;

  /** A simulation: the family, its data request, the settings, and where the plots go. */
  public record Config(ModelFamily<?, ?> family, TrainRequest request, String simId, Simulation.Plan plan,
      String plotSplit, String plotMetric, Path reportDir) {
    public Config {
      PartitionKey.requireSafe(simId);
    }
  }

  /** What the simulation wrote, and every setting's result. */
  public record Result(List<SimResult> results, List<Path> plots) {}

  public Config config() {
    Lake lake = common.lake();
    RunOptions options = RunOptions.load(configFile == null ? null : java.nio.file.Path.of(configFile), overrides);
    TrainerConfig trainer = options.trainerConfig();
    StepTimes times = StepTimes.parse(stepTimes);
    int maxAuto = maxAutoBackups != null ? maxAutoBackups : Math.max(1, machines / 10);
    int rounds = trainer.rounds();
    List<SyncSimulation> sync = new ArrayList<>();
    for (String b : backups) {
      String v = b.trim();
      int n = v.equals("auto") ? SyncSimulation.AUTO : Integer.parseInt(v);
      sync.add(new SyncSimulation(v.equals("auto") ? "sync_auto" : "sync_b" + n, n, maxAuto, autoEvery, rounds,
          maxVirtualS, 0, times, timeSeed, evalEvery));
    }
    // As much worker work as the synchronous settings' rounds: M updates per round.
    AsyncSimulation a = async ? new AsyncSimulation("async", (long) rounds * machines, maxVirtualS, asyncScale, times,
        timeSeed, evalEvery) : null;
    String[] sm = plot.split(":", 2);
    if (sm.length != 2) {
      throw new IllegalArgumentException("--plot must be split:metric, not '" + plot + "'");
    }
    ModelFamily<?, ?> f = ModelFamilies.installed().byName(family);
    return new Config(f, new TrainRequest(lake, dataset.trim(), trainer, options), simId,
        new Simulation.Plan(machines, sync, a), sm[0], sm[1], ReportJob.runDirectory(lake, simId));
  }

  public static Result run(SparkSession spark, Config cfg) {
    Simulation.Outcome outcome = Simulation.run(spark, cfg.family(), cfg.request(), cfg.plan());
    List<Row> rows = new ArrayList<>();
    List<EvaluationsTable.RunMetric> metrics = new ArrayList<>();
    String label = cfg.family().datasetLabel(cfg.request().dataset());
    Lake lake = cfg.request().lake();
    for (SimResult r : outcome.results()) {
      for (SimStep s : r.steps()) {
        rows.add(RowFactory.create(s.setting(), s.index(), s.virtualS(), s.loss(), s.workers(), s.backups(),
            s.staleness()));
      }
    }
    new PartitionCommitter(spark.sparkContext().hadoopConfiguration()).replace(
        spark.createDataFrame(rows, LakeTables.SIM_ROUNDS.dataSchema()), lake, LakeTables.SIM_ROUNDS,
        PartitionKey.of(LakeTables.SIM_ROUNDS, cfg.simId()));
    for (SimResult r : outcome.results()) {
      for (SimEvaluation e : r.evaluations()) {
        metrics.add(new EvaluationsTable.RunMetric(cfg.simId() + "-" + r.setting(), (int) e.index(),
            new Metric(cfg.family().name(), label, e.split(), e.metric(), e.value())));
      }
    }
    EvaluationsTable.append(spark, lake, metrics);
    List<Path> plots = SimPlots.write(spark.sparkContext().hadoopConfiguration(), outcome.results(), cfg.plotSplit(),
        cfg.plotMetric(), cfg.reportDir());
    return new Result(outcome.results(), plots);
  }

  @Override
  public Integer call() {
    Config cfg = config();
    System.setProperty("java.awt.headless", "true");
    Result r = run(JobRunner.session("simulate-training " + simId), cfg);
    for (SimResult s : r.results()) {
      SimStep last = s.steps().get(s.steps().size() - 1);
      System.out.printf(java.util.Locale.ROOT, "%-10s %7d updates  %9.1f virtual s  %s %s %.4f%n", s.setting(),
          last.index(), last.virtualS(), cfg.plotSplit(), cfg.plotMetric(), s.last(cfg.plotSplit(), cfg.plotMetric()));
    }
    System.out.println("simulate-training " + simId + ": plots " + r.plots());
    return 0;
  }
}
