package org.neurolake.pbt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.checkpoint.HadoopCheckpointStore;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.family.ModelFamily;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.RunOptions;
import org.neurolake.train.RunRecord;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingRun;
import org.neurolake.train.TrainingState;

/**
 * Population-based training of any {@link ModelFamily}: the driver of a search run.
 *
 * <p>Each member is an ordinary engine run of the family ({@link BackupWorkerTrainer}, with the
 * run's N workers and b backups, normally N=1, b=0) whose options are the run's with its
 * hyperparameters on top ({@link Hyperparameters#asOptions()}: {@code model.*} through the family's
 * own {@link ModelFamily#spec}, engine keys through {@link TrainerConfig}); its run id is
 * {@code <run-id>-m<i>} and its seed the run's plus i. Generation 0's hyperparameters are random draws
 * from the space, except member 0's when {@link PbtConfig#seedConfigMember()}: the run's own values
 * ({@link SearchSpace#configured}), so the configuration the search should beat is a member (with
 * the run's seed, i.e. the same run). A member's learning-rate schedule is the run's, applied to its
 * own rate over the search's total rounds. A generation trains every member its
 * {@code generationRounds} rounds, up to {@code parallelMembers} at once, each from its own driver
 * thread, so the members' rounds are concurrent Spark jobs that the scheduler interleaves on the
 * executors' cores; then each member is evaluated with the family's evaluator. Why jobs rather than
 * one stage whose tasks are members: a member is then exactly the engine's run (its retries of failed
 * tasks, backups, optimizer-state policy), members with N > 1 workers need nothing new, and a slow
 * member holds only its own rounds back, not the other members' (the only barrier is the generation).
 *
 * <p>After each generation: the generation's rows go to {@code pbt_members} (the run's partition
 * replaced), {@link ExploitExplore} decides and is applied (except after the last generation), and the
 * population is committed as one checkpoint ({@link PopulationCheckpoint}) in
 * {@code <checkpointDir>/population}; {@code --resume} continues from the newest one, i.e. at a
 * generation boundary. After the last generation the run's result is, with
 * {@link PbtConfig#keepBestSeen()}, the best member state seen at any generation boundary
 * ({@link BestSeen}, kept in the population checkpoint), else the last generation's best member: its checkpoint in {@code <checkpointDir>} (so {@code infer} and the evaluation jobs read it
 * like any run's), {@code run.json} with its spec and options, and its evaluations in
 * {@code evaluations} (run id = the search's). Every call ends by drawing {@value #PLOT} in the
 * report folder.
 */
public final class PbtSearch {
  public static final String PLOT = "pbt.png";
  public static final String POPULATION_DIR = "population";

  /**
   * A search run: the family and its request (the run's options), the engine run (its {@code rounds}
   * must be the search's total, its {@code lastRound} a generation boundary), the search settings and
   * space, and the folder the plot goes to.
   */
  public record Config(ModelFamily<?, ?> family, TrainRequest request, TrainingRun.Config run, PbtConfig pbt,
      SearchSpace space, Path plotDir) {
    public Config {
      Objects.requireNonNull(family, "family");
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(run, "run");
      Objects.requireNonNull(pbt, "pbt");
      Objects.requireNonNull(space, "space");
      Objects.requireNonNull(plotDir, "plotDir");
      if (run.trainer().rounds() != pbt.totalRounds()) {
        throw new IllegalArgumentException("a search of " + pbt.generations() + " generations of "
            + pbt.generationRounds() + " rounds runs " + pbt.totalRounds() + " rounds, not rounds="
            + run.trainer().rounds());
      }
      if (run.lastRound() % pbt.generationRounds() != 0) {
        throw new IllegalArgumentException("--stop-after-round=" + run.lastRound() + " is not a generation boundary"
            + " (a multiple of pbt.generation-rounds=" + pbt.generationRounds() + ")");
      }
    }
  }

  /**
   * What the search has so far: every row of its history, its result (the best state seen, or the best
   * member of the newest generation without {@code keepBestSeen}: its generation, member, metric,
   * hyperparameters, state and evaluations; the evaluations are empty before the last generation
   * without {@code keepBestSeen}), the plot.
   */
  public record Result(List<PbtMembersTable.Row> history, int bestGeneration, int bestMember, double bestValue,
      Hyperparameters bestHyperparameters, TrainingState bestState, List<TrainingRun.Evaluation> bestEvaluations,
      Path plot) {}

  private record Trained(Member member, List<TrainingRun.Evaluation> evaluations) {}

  private PbtSearch() {}

  public static Result run(SparkSession spark, Config cfg) throws InterruptedException {
    return runFamily(spark, cfg.family(), cfg);
  }

  private static <S extends ModelSpec, D> Result runFamily(SparkSession spark, ModelFamily<S, D> f, Config cfg)
      throws InterruptedException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    TrainRequest request = cfg.request();
    TrainerConfig tc = cfg.run().trainer();
    PbtConfig pbt = cfg.pbt();
    int g0Rounds = pbt.generationRounds();
    D data = f.load(spark, request);
    S base = f.spec(data, request);
    String baseJson = ModelSpecs.toJson(base);
    HadoopCheckpointStore population = new HadoopCheckpointStore(conf,
        new Path(cfg.run().checkpointDir(), POPULATION_DIR));
    String metricLabel = pbt.metricSplit() + "/" + pbt.metric();

    List<Member> members;
    List<PbtMembersTable.Row> history = new ArrayList<>();
    BestSeen bestSeen = null;
    Optional<Checkpoint> saved = cfg.run().resume() ? population.latestValid() : Optional.empty();
    if (saved.isPresent()) {
      if (!saved.get().modelSpecJson().equals(baseJson)) {
        throw new IllegalArgumentException("the population in " + cfg.run().checkpointDir() + " is of another model: "
            + saved.get().modelSpecJson());
      }
      members = PopulationCheckpoint.members(saved.get());
      if (members.size() != pbt.population()
          || !members.stream().allMatch(m -> m.hyperparameters().values().keySet().equals(cfg.space().ranges().keySet()))) {
        throw new IllegalArgumentException("the population in " + cfg.run().checkpointDir() + " has " + members.size()
            + " members tuning " + members.get(0).hyperparameters().values().keySet() + "; this search has "
            + pbt.population() + " tuning " + cfg.space().ranges().keySet());
      }
      bestSeen = PopulationCheckpoint.best(saved.get()).orElse(null);
      int next = saved.get().nextRound() / g0Rounds;
      PbtMembersTable.read(spark, cfg.run().lake(), tc.runId()).stream().filter(r -> r.generation() < next)
          .forEach(history::add);
      System.out.printf("resuming search %s at generation %d (round %d)%n", tc.runId(), next, saved.get().nextRound());
    } else {
      members = new ArrayList<>();
      SplittableRandom rng = new SplittableRandom(pbt.seed());
      for (int i = 0; i < pbt.population(); i++) {
        Hyperparameters drawn = cfg.space().sample(rng);
        Hyperparameters h = i == 0 && pbt.seedConfigMember() ? cfg.space().configured(tc, base) : drawn;
        S spec = memberSpec(f, data, request, memberTrainer(tc, i, h), h);
        members.add(new Member(i, i, h, BackupWorkerTrainer.initialState(spec)));
      }
    }

    int firstGeneration = members.get(0).state().nextRound() / g0Rounds;
    int lastGeneration = cfg.run().lastRound() / g0Rounds;
    List<TrainingRun.Evaluation> bestEvaluations = List.of();
    JavaRDD<ExampleShard> shards = f.shards(data, base, tc);
    try {
      for (int g = firstGeneration; g < lastGeneration; g++) {
        List<Trained> trained = trainGeneration(spark, f, data, request, tc, pbt, members, (g + 1) * g0Rounds, shards);
        double[] metrics = new double[members.size()];
        List<Member> after = new ArrayList<>();
        for (Trained t : trained) {
          Member m = t.member();
          metrics[m.index()] = pick(t.evaluations(), pbt, f.name());
          after.add(m);
          history.add(new PbtMembersTable.Row(g, m.index(), m.parent(), m.hyperparameters(), metricLabel,
              metrics[m.index()], m.state().nextRound()));
          if (pbt.keepBestSeen()) {
            bestSeen = BestSeen.better(bestSeen, new BestSeen(g, m.index(), m.hyperparameters(), metrics[m.index()],
                m.state(), t.evaluations()), pbt.direction());
          }
        }
        PbtMembersTable.replace(spark, cfg.run().lake(), tc.runId(), history);
        int best = ExploitExplore.ranking(pbt, metrics).get(0);
        System.out.printf("search %s generation %d: best member %d, %s %.5f%n", tc.runId(), g, best, metricLabel,
            metrics[best]);
        if (g + 1 < pbt.generations()) {
          members = ExploitExplore.apply(after, ExploitExplore.decide(pbt, cfg.space(), g,
              after.stream().map(Member::hyperparameters).toList(), metrics));
        } else {
          members = after;
          if (pbt.keepBestSeen()) {
            System.out.printf("search %s result: member %d of generation %d, %s %.5f (the best seen)%n", tc.runId(),
                bestSeen.member(), bestSeen.generation(), metricLabel, bestSeen.value());
            writeResult(spark, f, data, request, cfg, bestSeen.asMember(), bestSeen.evaluations());
          } else {
            bestEvaluations = trained.get(best).evaluations();
            writeResult(spark, f, data, request, cfg, after.get(best), bestEvaluations);
          }
        }
        population.commit(PopulationCheckpoint.of(members, bestSeen, pbt.seed(), baseJson), tc.keepCheckpoints());
      }
    } finally {
      shards.unpersist(false);
    }

    int newest = history.isEmpty() ? -1 : history.get(history.size() - 1).generation();
    double[] last = new double[pbt.population()];
    Hyperparameters[] lastH = new Hyperparameters[pbt.population()];
    for (PbtMembersTable.Row r : history) {
      if (r.generation() == newest) {
        last[r.member()] = r.value();
        lastH[r.member()] = r.hyperparameters();
      }
    }
    Path plot = PbtPlots.write(conf, new Path(cfg.plotDir(), PLOT), tc.runId(), history, cfg.space(), metricLabel);
    if (bestSeen != null) {
      return new Result(List.copyOf(history), bestSeen.generation(), bestSeen.member(), bestSeen.value(),
          bestSeen.hyperparameters(), bestSeen.state(), bestSeen.evaluations(), plot);
    }
    int best = ExploitExplore.ranking(pbt, last).get(0);
    return new Result(List.copyOf(history), newest, best, last[best], lastH[best], members.get(best).state(),
        bestEvaluations, plot);
  }

  /** Trains every member up to {@code untilRound} and evaluates it, {@code parallelMembers} at a time. */
  private static <S extends ModelSpec, D> List<Trained> trainGeneration(SparkSession spark, ModelFamily<S, D> f, D data,
      TrainRequest request, TrainerConfig tc, PbtConfig pbt, List<Member> members, int untilRound,
      JavaRDD<ExampleShard> shards) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(pbt.parallelMembers(), members.size()));
    try {
      List<Future<Trained>> futures = new ArrayList<>();
      for (Member m : members) {
        futures.add(pool.submit(() -> {
          TrainerConfig mt = memberTrainer(tc, m.index(), m.hyperparameters());
          S spec = memberSpec(f, data, request, mt, m.hyperparameters());
          BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, mt, spec, FaultInjection.NONE);
          try {
            TrainingState end = trainer.train(shards, m.state(), untilRound, (summary, state) -> { });
            List<TrainingRun.Evaluation> evaluations = f.evaluator(data, spec)
                .evaluate(end.parameters(), mt.stepAt(end.nextRound()));
            return new Trained(m.trained(end), evaluations);
          } finally {
            trainer.detach();
          }
        }));
      }
      List<Trained> out = new ArrayList<>();
      for (Future<Trained> fu : futures) {
        try {
          out.add(fu.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException("a PBT member failed: " + e.getCause(), e.getCause());
        }
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** The engine options of member {@code i}: the run's, its own run id and seed, its hyperparameters on top, no budget. */
  static TrainerConfig memberTrainer(TrainerConfig tc, int i, Hyperparameters h) {
    Map<String, String> props = new LinkedHashMap<>(tc.toProperties());
    props.put("run-id", tc.runId() + "-m" + i);
    props.put("seed", Long.toString(tc.seed() + i));
    props.put("time-budget-s", "0");
    props.put("checkpoint-every", "0");
    props.put("eval-every", "0");
    h.asOptions().forEach((k, v) -> {
      if (!k.startsWith(RunOptions.MODEL_PREFIX)) {
        props.put(k, v);
      }
    });
    return TrainerConfig.builder().apply(props).build();
  }

  /** The family's spec for a member: the run's options with the member's {@code model.*} values and engine options. */
  static <S extends ModelSpec, D> S memberSpec(ModelFamily<S, D> f, D data, TrainRequest request, TrainerConfig mt,
      Hyperparameters h) {
    Map<String, String> model = new LinkedHashMap<>(request.options().model());
    Map<String, String> trainer = new LinkedHashMap<>(request.options().trainer());
    h.asOptions().forEach((k, v) -> {
      if (k.startsWith(RunOptions.MODEL_PREFIX)) {
        model.put(k.substring(RunOptions.MODEL_PREFIX.length()), v);
      } else {
        trainer.put(k, v);
      }
    });
    RunOptions options = new RunOptions(trainer, model, request.options().data());
    return f.spec(data, new TrainRequest(request.lake(), request.dataset(), mt, options));
  }

  private static double pick(List<TrainingRun.Evaluation> evaluations, PbtConfig pbt, String family) {
    for (TrainingRun.Evaluation e : evaluations) {
      if (e.split().equals(pbt.metricSplit()) && e.metric().equals(pbt.metric())) {
        return e.value();
      }
    }
    throw new BadInputException("the " + family + " family's evaluation has no " + pbt.metricSplit() + "/"
        + pbt.metric() + " to select members by (it gives "
        + evaluations.stream().map(e -> e.split() + "/" + e.metric()).toList() + ")");
  }

  private static <S extends ModelSpec, D> void writeResult(SparkSession spark, ModelFamily<S, D> f, D data,
      TrainRequest request, Config cfg, Member best, List<TrainingRun.Evaluation> evaluations) {
    TrainerConfig tc = cfg.run().trainer();
    Map<String, String> props = new LinkedHashMap<>(memberTrainer(tc, best.index(), best.hyperparameters())
        .toProperties());
    props.put("run-id", tc.runId());
    TrainerConfig bt = TrainerConfig.builder().apply(props).build();
    S spec = memberSpec(f, data, request, memberTrainer(tc, best.index(), best.hyperparameters()),
        best.hyperparameters());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    TrainingState s = best.state();
    new HadoopCheckpointStore(conf, cfg.run().checkpointDir()).commit(new Checkpoint(s.nextRound(), s.updates(),
        bt.seed(), s.parameters(), s.optimizerState(), ModelSpecs.toJson(spec), bt.toProperties()), tc.keepCheckpoints());
    RunRecord.of(tc.runId(), cfg.run().family(), cfg.run().dataset(), spec, bt, f.describe(data),
        spark.sparkContext().master()).write(conf, cfg.run().checkpointDir());
    EvaluationsTable.append(spark, cfg.run().lake(), tc.runId(), s.nextRound(), evaluations.stream()
        .map(e -> new Metric(cfg.run().family(), cfg.run().dataset(), e.split(), e.metric(), e.value())).toList());
  }
}
