package org.neurolake.jobs;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.family.DataRead;
import org.neurolake.family.ModelFamilies;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.pbt.DefaultSearch;
import org.neurolake.pbt.PbtConfig;
import org.neurolake.pbt.PbtSearch;
import org.neurolake.pbt.SearchSpace;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.HadoopPaths;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.RunOptions;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = {
        "Trains a model of any installed family on its data with synchronous SGD with backup workers: each round"
            + " runs N+b tasks of K local steps and averages the first N results. The family (lfads, mlstm, mlp,"
            + " dl4j, or a plug-in's) says what --dataset names and which model.* and data.* options it takes.",
        "Writes checkpoints and run.json (<lake>/checkpoints/<run-id>), train_rounds (partition run_id) and"
            + " evaluations (partition model=<family>); --resume continues from the newest valid checkpoint.",
        "With --search pbt (by default for LFADS sessions of fewer than " + org.neurolake.lfads.LfadsFamily.PBT_BELOW_TRIALS
            + " training trials; --search none: one run),"
            + " trains a population of such runs with population-based training: pbt_members"
            + " (partition run_id), the best member's checkpoint and evaluations as the run's, and"
            + " <lake>/reports/<run-id>/plots/pbt.png; --resume continues at the last generation boundary."})
public final class TrainJob implements Callable<Integer> {
  @Mixin CommonOptions common = new CommonOptions();

  @Option(names = "--family", required = true, description = "The model family (installed: lfads, mlstm, mlp, ...).")
  String family;

  @Option(names = "--dataset", required = true,
      description = "What to train on, as the family names it: a spike_trials session (lfads), byte_sequences"
          + " sources, comma-separated (mlstm), an examples dataset (mlp, dl4j).")
  String dataset;

  @Mixin TrainOptions train = new TrainOptions();

  @Mixin SearchOptions search = new SearchOptions();

  /** A training run of a family: the engine run and the request the family reads. */
  public record Config(ModelFamily<?, ?> family, TrainingRun.Config run, TrainRequest request) {}

  public Config config() {
    return config(common, train, family, dataset, Map.of());
  }

  /** The config of a run of {@code familyName}; {@code implied} are options a thin job's own flags set. */
  static Config config(CommonOptions common, TrainOptions train, String familyName, String dataset,
      Map<String, String> implied) {
    ModelFamily<?, ?> f = ModelFamilies.installed().byName(familyName);
    Map<String, String> overrides = new java.util.LinkedHashMap<>(implied);
    overrides.putAll(train.overrides);
    RunOptions options = RunOptions.load(train.configFile == null ? null : java.nio.file.Path.of(train.configFile),
        overrides);
    TrainerConfig t;
    try {
      t = options.trainerConfig();
    } catch (IllegalArgumentException e) {
      // The key may come from the file or from --set; either way the user looks in the file first.
      throw train.configFile == null ? e : new BadInputException(train.configFile
          + (train.overrides.isEmpty() ? "" : " (or --set)") + ": " + e.getMessage(), e);
    }
    Lake lake = common.lake();
    Path ckpt = train.checkpointDir != null ? new Path(HadoopPaths.toUri(train.checkpointDir))
        : TrainingRun.Config.defaultCheckpointDir(lake, t.runId());
    TrainRequest request = new TrainRequest(lake, dataset.trim(), t, options);
    TrainingRun.Config run = new TrainingRun.Config(lake, f.name(), f.datasetLabel(request.dataset()), t, ckpt,
        train.resume, train.stopAfterRound == null ? t.rounds() : train.stopAfterRound);
    return new Config(f, run, request);
  }

  public static TrainingRun.Result run(SparkSession spark, Config cfg) throws InterruptedException {
    return run(spark, cfg, FaultInjection.NONE);
  }

  public static TrainingRun.Result run(SparkSession spark, Config cfg, FaultInjection faults)
      throws InterruptedException {
    return runFamily(spark, cfg.family(), cfg, faults);
  }

  // Binds the family's type parameters once, so spec, shards and evaluator meet without casts.
  private static <S extends ModelSpec, D> TrainingRun.Result runFamily(SparkSession spark, ModelFamily<S, D> f,
      Config cfg, FaultInjection faults) throws InterruptedException {
    TrainRequest request = cfg.request();
    TrainerConfig tc = request.trainer();
    D data = f.load(spark, request);
    S spec = f.spec(data, request);
    JavaRDD<ExampleShard> shards = f.shards(data, spec, tc);
    try {
      long examples = shards.map(s -> (long) s.size()).reduce(Long::sum);
      System.out.printf("train %s (%s) on %s: %d training examples in %d shards; %d parameters%n", tc.runId(),
          f.name(), cfg.run().dataset(), examples, tc.tasksPerRound(), spec.parameterCount());
      return TrainingRun.run(spark, cfg.run(), spec, f.describe(data), shards, f.evaluator(data, spec), faults);
    } finally {
      shards.unpersist(false);
    }
  }

  /** The job's work once options are parsed: a dry run, or the run with its catalog registration. */
  static int call(String jobName, CommonOptions common, Config cfg) throws InterruptedException {
    CatalogSettings catalog = common.catalog();
    TrainingRun.Config run = cfg.run();
    if (common.dryRun()) {
      DryRun d = new DryRun(jobName).lake(run.lake()).catalog(catalog)
          .note("family " + cfg.family().name() + ", trainer " + run.trainer() + ", model options "
              + cfg.request().options().model() + ", data options " + cfg.request().options().data());
      for (DataRead r : cfg.family().reads(run.lake(), cfg.request().dataset())) {
        d.reads(r.what(), r.path());
      }
      return d.trainingRun(run).print();
    }
    SparkSession spark = JobRunner.session(jobName + " " + run.trainer().runId(), catalog,
        BackupWorkerTrainer.SPARK_DEFAULTS);
    TrainingRun.Result r = run(spark, cfg);
    System.out.printf("%s %s: %d rounds, %d updates, final evaluation %s%n", jobName, run.trainer().runId(),
        r.state().nextRound(), r.state().updates(), r.finalEvaluations());
    catalog.registerWritten(spark, LakeTables.TRAIN_ROUNDS, LakeTables.EVALUATIONS);
    return 0;
  }

  /** The population-based search of {@code --search pbt}. */
  public PbtSearch.Config searchConfig() {
    return searchConfig(common, train, search, family, dataset, Map.of());
  }

  /**
   * A search of {@code familyName}: the search-space file's {@code pbt.*} settings with
   * {@code --search-set} on top; the run's {@code rounds} become generations x generation-rounds.
   */
  static PbtSearch.Config searchConfig(CommonOptions common, TrainOptions train, SearchOptions search,
      String familyName, String dataset, Map<String, String> implied) {
    return searchConfig(common, train, java.nio.file.Path.of(search.searchSpace), search, familyName, dataset, implied);
  }

  /** As above with the search-space file {@code file} (the one named, or the family's default). */
  static PbtSearch.Config searchConfig(CommonOptions common, TrainOptions train, java.nio.file.Path file,
      SearchOptions search, String familyName, String dataset, Map<String, String> implied) {
    SearchSpace.File space = SearchSpace.load(file);
    Map<String, String> settings = new java.util.TreeMap<>(space.settings());
    search.overrides.forEach((k, v) -> settings.put(k.startsWith(SearchSpace.PBT_PREFIX)
        ? k.substring(SearchSpace.PBT_PREFIX.length()) : k, v));
    PbtConfig pbt;
    try {
      pbt = PbtConfig.builder().apply(settings).build();
    } catch (IllegalArgumentException e) {
      throw new BadInputException(file + (search.overrides.isEmpty() ? "" : " (or --search-set)") + ": "
          + e.getMessage(), e);
    }
    Map<String, String> withRounds = new java.util.LinkedHashMap<>(implied);
    withRounds.put("rounds", Integer.toString(pbt.totalRounds()));
    Config c = config(common, train, familyName, dataset, withRounds);
    Lake lake = c.run().lake();
    return new PbtSearch.Config(c.family(), c.request(), c.run(), pbt, space.space(),
        new Path(ReportJob.runDirectory(lake, c.run().trainer().runId()), ReportJob.MODEL_PLOTS));
  }

  /** The work of {@code --search pbt}: a dry run, or the search with its catalog registration. */
  static int callSearch(String jobName, CommonOptions common, PbtSearch.Config cfg) throws InterruptedException {
    CatalogSettings catalog = common.catalog();
    TrainingRun.Config run = cfg.run();
    if (common.dryRun()) {
      DryRun d = new DryRun(jobName).lake(run.lake()).catalog(catalog)
          .note("family " + cfg.family().name() + ", search " + cfg.pbt() + ", space " + cfg.space().ranges().values()
              + ", trainer " + run.trainer() + ", model options " + cfg.request().options().model())
          .writes("pbt_members", run.lake().tablePath(LakeTables.PBT_MEMBERS))
          .writes("plot", new Path(cfg.plotDir(), PbtSearch.PLOT));
      for (DataRead r : cfg.family().reads(run.lake(), cfg.request().dataset())) {
        d.reads(r.what(), r.path());
      }
      return d.trainingRun(run).print();
    }
    System.setProperty("java.awt.headless", "true");
    SparkSession spark = JobRunner.session(jobName + " " + run.trainer().runId(), catalog,
        BackupWorkerTrainer.SPARK_DEFAULTS);
    PbtSearch.Result r = PbtSearch.run(spark, cfg);
    System.out.printf("%s %s: %d generations of %d members; result member %d of generation %d, %s/%s %.5f with %s; plot %s%n",
        jobName, run.trainer().runId(),
        r.history().isEmpty() ? 0 : r.history().get(r.history().size() - 1).generation() + 1,
        cfg.pbt().population(), r.bestMember(), r.bestGeneration(), cfg.pbt().metricSplit(), cfg.pbt().metric(), r.bestValue(),
        r.bestHyperparameters(), r.plot());
    catalog.registerWritten(spark, LakeTables.PBT_MEMBERS, LakeTables.EVALUATIONS);
    return 0;
  }

  /**
   * The job's work for the search asked for: {@code none} one run, {@code pbt} the search, {@code auto}
   * the family's {@link DefaultSearch} decided on the run's training examples (counted in the job's
   * session before training; the decision and its reason are printed).
   */
  static int callChosen(String jobName, CommonOptions common, TrainOptions train, SearchOptions search,
      String familyName, String dataset, Map<String, String> implied) throws InterruptedException {
    SearchOptions.Search requested = search.requested();
    if (requested == SearchOptions.Search.PBT) {
      return callSearch(jobName, common, searchConfig(common, train, search, familyName, dataset, implied));
    }
    Config cfg = config(common, train, familyName, dataset, implied);
    java.util.Optional<DefaultSearch> byDefault = cfg.family().defaultSearch();
    if (requested == SearchOptions.Search.NONE || byDefault.isEmpty()) {
      return call(jobName, common, cfg);
    }
    java.nio.file.Path space = search.searchSpace != null ? java.nio.file.Path.of(search.searchSpace)
        : byDefault.get().spaceUnder(projectHome());
    if (common.dryRun()) {
      System.out.printf("%s: search auto (%s family: pbt of %s below %d training examples, counted when the job"
          + " runs); the dry run shows the one-run configuration%n", jobName, cfg.family().name(), space,
          byDefault.get().fewerThan());
      return call(jobName, common, cfg);
    }
    SparkSession spark = JobRunner.session(jobName + " " + cfg.run().trainer().runId(), common.catalog(),
        BackupWorkerTrainer.SPARK_DEFAULTS);
    DefaultSearch.Choice choice = autoChoice(spark, cfg, byDefault.get(), space);
    System.out.printf("%s %s: %s%n", jobName, cfg.run().trainer().runId(), choice.reason());
    return choice.pbt()
        ? callSearch(jobName, common, searchConfig(common, train, choice.space().get(), search, familyName, dataset,
            implied))
        : call(jobName, common, cfg);
  }

  /**
   * The project's home, where the default search spaces are ({@code conf/search}): the system property
   * {@code neurolake.home}, else the environment's {@code NEUROLAKE_HOME} (bin/pipeline exports it), else
   * the working directory.
   */
  static java.nio.file.Path projectHome() {
    String home = System.getProperty("neurolake.home", System.getenv("NEUROLAKE_HOME"));
    return java.nio.file.Path.of(home == null || home.isBlank() ? "." : home).toAbsolutePath();
  }

  /** {@code --search auto}: {@code byDefault} decided on the training examples of {@code cfg}'s data, with search space {@code space}. */
  static DefaultSearch.Choice autoChoice(SparkSession spark, Config cfg, DefaultSearch byDefault,
      java.nio.file.Path space) {
    return byDefault.choose(trainingExamples(spark, cfg.family(), cfg.request()), space);
  }

  /** How many training examples the family's shards of the request's data hold. */
  private static <S extends ModelSpec, D> long trainingExamples(SparkSession spark, ModelFamily<S, D> f,
      TrainRequest request) {
    D data = f.load(spark, request);
    JavaRDD<ExampleShard> shards = f.shards(data, f.spec(data, request), request.trainer());
    try {
      return shards.map(s -> (long) s.size()).reduce(Long::sum);
    } finally {
      shards.unpersist(false);
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    return callChosen("train", common, train, search, family, dataset, Map.of());
  }

  public static void main(String[] args) {
    JobRunner.main(new TrainJob(), args);
  }
}
