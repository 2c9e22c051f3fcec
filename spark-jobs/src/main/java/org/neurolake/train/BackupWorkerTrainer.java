package org.neurolake.train;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SimpleFutureAction;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.runtime.BoxedUnit;

/**
 * Synchronous SGD with backup workers (Chen, Monga, Bengio, Jozefowicz, "Revisiting Distributed
 * Synchronous SGD"), as parameter averaging on Spark executors.
 *
 * <p>Each round r: broadcast the parameters and optimizer state; launch N+b tasks, one per shard;
 * each runs K local steps and returns its parameters and state. Results are taken as they arrive
 * (the result handler only enqueues them); as soon as N are in, the round's job group is
 * cancelled, killing the b stragglers, and the N results are averaged (summed in double as they
 * arrive). Results of an earlier round are never applied: each round has its own queue and its
 * own job group.
 *
 * <p>A task whose model fails returns an error result; its partition is resubmitted (up to
 * {@code maxRoundAttempts} times) while it is still needed. A job that fails outright (e.g. its
 * executor died beyond Spark's own retries) is resubmitted for the partitions that produced
 * nothing. With b = 0 and a fixed data order this is plain synchronous parameter averaging.
 *
 * <p>Aggregation ({@link AggregationMode}): in the collect mode the tasks return their vectors and
 * the driver sums the first N as above ({@link FirstNAverage}). In the sharded mode (large models)
 * each task keeps its vectors in its executor's block manager in S slices and returns only its
 * record; the driver accepts the first N records by the same rule ({@link FirstN}), then a second
 * stage of S slice tasks averages them on the executors ({@link ShardedAggregation}); the driver
 * receives S slices, one vector in all. Every block of the round is removed once it is averaged.
 *
 * <p>Under {@code backups = auto} every round runs the same M = N + max-backups tasks and accepts
 * the first M - b, b re-chosen every R rounds by {@link BackupSchedule} from the task durations
 * Spark's scheduler reported for the rounds so far (the times {@code train_rounds} holds).
 */
public final class BackupWorkerTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(BackupWorkerTrainer.class);

  /** Called on the driver after every round, with the new state: checkpoints, evaluations, progress. */
  public interface RoundObserver {
    void afterRound(RoundSummary summary, TrainingState state);
  }

  /**
   * What the driver knows of a round right after it (task times of killed tasks come later).
   * {@code slowestAcceptedMs} is the longest own work (K steps and injected delay, {@link
   * WorkerResult#workMs()}) among the accepted tasks. {@code resubmittedAccepted}: the shards whose
   * accepted result came from a job the engine resubmitted (after a failed result or a failed job),
   * not from the round's first job. {@code aggregation}: COLLECT or SHARDED, as the round ran;
   * {@code recomputedResults}: accepted results whose blocks were lost before the slice stage read
   * them, so their tasks ran again (sharded mode). {@code backups}: the round's b (M - b results
   * accepted), fixed or chosen under {@code backups = auto}. {@code averageBlockBytes}: the bytes of
   * averaged-slice blocks the driver read (sharded mode; 0 when collecting): what reached the driver
   * besides the task results.
   */
  public record RoundSummary(int round, double loss, int accepted, int received, long wallMs, long slowestAcceptedMs,
      double learningRate, EngineTimes engine, java.util.Set<Integer> resubmittedAccepted, AggregationMode aggregation,
      int recomputedResults, int backups, long averageBlockBytes) {
    /**
     * The round's time beyond its slowest accepted task's own work: the driver's broadcast,
     * scheduling, the executors' reading of the broadcast and packing of results, transfer and
     * averaging.
     */
    public long orchestrationMs() {
      return wallMs - slowestAcceptedMs;
    }
  }

  /**
   * Where a round's engine overhead went, in driver milliseconds: {@code submitMs} from the round's
   * start to its job submitted (broadcast of the parameters, job and task set creation);
   * {@code resultLagMs} from the end of the own work of the task whose result completed the N (its
   * clock) to that result taken from the queue by the driver (result serialization, transfer,
   * deserialization; with executors on other machines it includes their clock offset);
   * {@code finishMs} from that result to the round's end (adding it in, cancelling the stragglers,
   * averaging).
   */
  public record EngineTimes(long submitMs, long resultLagMs, long finishMs) {}

  /** A task's result as the driver's queue holds it: {@code resubmitted} when a resubmitted job produced it. */
  private record Arrival(WorkerResult result, boolean resubmitted) {}

  /** Per-round bookkeeping kept until the run ends, to build the train_rounds rows. */
  private record RoundLog(int round, int backups, List<Integer> jobIds, Map<Integer, WorkerResult> received,
      java.util.Set<Integer> accepted) {}

  /** How long {@link #observedSeconds} waits, in all, for the listener bus to report the last tasks. */
  private static final long TASK_TIMES_WAIT_MS = 2000;

  /**
   * Spark settings the engine wants, applied by the jobs unless the user set them: parameter
   * vectors do not compress, and results of a few MB should travel in the task's status message
   * rather than through a block-manager fetch.
   */
  public static final Map<String, String> SPARK_DEFAULTS = Map.of(
      "spark.broadcast.compress", "false",
      "spark.task.maxDirectResultSize", "100m");

  private final SparkSession spark;
  private final TrainerConfig cfg;
  private final ModelSpec spec;
  private final FaultInjection faults;
  private final TaskTimes taskTimes = new TaskTimes();
  private final List<RoundLog> logs = new ArrayList<>();
  private final BackupSchedule backups;
  /** Task durations (s) of the first {@code observedRounds} logged rounds, for {@code backups = auto}. */
  private final List<Double> observed = new ArrayList<>();
  private int observedRounds;

  public BackupWorkerTrainer(SparkSession spark, TrainerConfig cfg, ModelSpec spec, FaultInjection faults) {
    this.spark = spark;
    this.cfg = cfg;
    this.spec = spec;
    this.faults = faults;
    this.backups = new BackupSchedule(cfg);
    spark.sparkContext().addSparkListener(taskTimes);
  }

  /**
   * Removes this trainer's task-time listener from the Spark context: for a driver that builds many
   * short-lived trainers (population-based search). {@link #taskRecords} is unusable afterwards.
   */
  public void detach() {
    spark.sparkContext().removeSparkListener(taskTimes);
  }

  /** The starting state of a new run: the spec's initial parameters and optimizer state. */
  public static TrainingState initialState(ModelSpec spec) {
    TrainableModel m = spec.build();
    return new TrainingState(0, m.parameters(), m.optimizerState(), 0);
  }

  /**
   * {@code state} as this trainer's policy needs it: under {@link OptimizerStatePolicy#AVERAGED} a
   * state without optimizer state (a checkpoint of a per-worker run) gets the spec's initial one.
   */
  public TrainingState adopt(TrainingState state) {
    if (cfg.optimizerState() == OptimizerStatePolicy.AVERAGED && state.optimizerState().length == 0) {
      return new TrainingState(state.nextRound(), state.parameters(), spec.build().optimizerState(), state.updates());
    }
    return state;
  }

  /**
   * Runs rounds {@code start.nextRound()} .. {@code lastRound - 1}, or fewer when the config's time
   * budget runs out (counted from this call). {@code shards} must have exactly
   * N+b partitions, each holding one shard, and should be cached.
   */
  public TrainingState train(JavaRDD<ExampleShard> shards, TrainingState start, int lastRound, RoundObserver observer)
      throws InterruptedException {
    if (shards.getNumPartitions() != cfg.tasksPerRound()) {
      throw new IllegalArgumentException("the training data has " + shards.getNumPartitions()
          + " shards but a round runs N+b = " + cfg.tasksPerRound() + " tasks");
    }
    TrainingState state = adopt(start);
    long t0 = System.nanoTime();
    int r = start.nextRound();
    try {
      for (; r < lastRound; r++) {
        state = round(shards, state, r, observer);
        double elapsed = (System.nanoTime() - t0) / 1e9;
        if (cfg.timeBudgetSeconds() > 0 && elapsed >= cfg.timeBudgetSeconds() && r + 1 < lastRound) {
          LOG.info(String.format("run %s: time budget of %.0f s reached after round %d (%.1f s)", cfg.runId(),
              cfg.timeBudgetSeconds(), r, elapsed));
          break;
        }
      }
    } finally {
      if (cfg.aggregationFor(state.parameters().length) == AggregationMode.SHARDED) {
        // Blocks a straggler stored after its round's clean-up, and a failed round's.
        ResultBlocks.removeRounds(cfg.runId(), Math.min(r, lastRound));
      }
    }
    return state;
  }

  private TrainingState round(JavaRDD<ExampleShard> shards, TrainingState state, int r, RoundObserver observer)
      throws InterruptedException {
    SparkContext sc = spark.sparkContext();
    long t0 = System.currentTimeMillis();
    int b = backups.backupsAt(r, this::observedSeconds);
    int n = cfg.tasksPerRound() - b;
    double lr = cfg.learningRate().rate(r, cfg.rounds());
    boolean averaged = cfg.optimizerState() == OptimizerStatePolicy.AVERAGED;
    long bc0 = System.currentTimeMillis();
    Broadcast<RoundInput> input = sc.broadcast(new RoundInput(cfg.runId(), r, state.parameters(),
        averaged ? state.optimizerState() : new float[0], cfg.stepAt(r), lr),
        scala.reflect.ClassTag$.MODULE$.apply(RoundInput.class));
    long broadcastMs = System.currentTimeMillis() - bc0;
    AggregationMode mode = cfg.aggregationFor(state.parameters().length);
    boolean sharded = mode == AggregationMode.SHARDED;
    SliceLayout layout = sharded ? SliceLayout.of(state.parameters().length,
        averaged ? state.optimizerState().length : 0, cfg.slices()) : null;
    RoundTask task = new RoundTask(cfg, spec, input, faults, layout);
    LinkedBlockingQueue<Arrival> queue = new LinkedBlockingQueue<>();
    String group = cfg.runId() + "-round-" + r;
    sc.setJobGroup(group, "run " + cfg.runId() + " round " + r + " (N=" + n + ", b=" + b + ")",
        true);

    Map<Integer, WorkerResult> received = new TreeMap<>();
    java.util.Set<Integer> resubmittedAccepted = new java.util.TreeSet<>();
    // The collect mode sums the vectors as they come; the sharded mode only decides, by the same rule.
    FirstNAverage collect = sharded ? null : new FirstNAverage(n, state.parameters().length,
        averaged ? state.optimizerState().length : 0);
    FirstN firstN = new FirstN(n);
    Map<SimpleFutureAction<BoxedUnit>, List<Integer>> jobs = new HashMap<>();
    Map<Integer, Integer> attempts = new HashMap<>();
    List<Integer> jobIds = new ArrayList<>();
    List<Integer> all = new ArrayList<>();
    for (int p = 0; p < cfg.tasksPerRound(); p++) {
      all.add(p);
      attempts.put(p, 1);
    }
    submit(sc, shards, task, all, false, queue, jobs, jobIds);
    long submitted = System.currentTimeMillis();
    long lastTaken = submitted;
    long lastLag = 0;
    java.util.Set<Integer> pending = new java.util.HashSet<>(all);
    try {
      while (!(collect != null ? collect.complete() : firstN.complete())) {
        Arrival arrival = queue.poll(50, TimeUnit.MILLISECONDS);
        if (arrival == null) {
          resubmitFailedJobs(sc, shards, task, queue, jobs, jobIds, pending, attempts, r, n);
          continue;
        }
        WorkerResult res = arrival.result();
        pending.remove(res.task());
        received.put(res.task(), res);
        if (res.ok()) {
          lastTaken = System.currentTimeMillis();
          lastLag = lastTaken - res.endMs();
          if (collect != null) {
            collect.offer(res); // summed while the other tasks still run
          } else {
            firstN.offer(res);
          }
          if (arrival.resubmitted()) {
            resubmittedAccepted.add(res.task());
          }
        } else {
          LOG.warn("round {} task {} failed on executor {}: {}", r, res.task(), res.executor(), res.error());
          int acceptedSoFar = (collect != null ? collect.accepted() : firstN.accepted()).size();
          if (acceptedSoFar + pending.size() < n) {
            retry(sc, shards, task, queue, jobs, jobIds, pending, attempts, res.task(), r, n, res.error());
          }
        }
      }
    } finally {
      sc.cancelJobGroup(group);
      sc.clearJobGroup();
    }
    // Late results, already in the queue, are recorded but never applied.
    for (Arrival late = queue.poll(); late != null; late = queue.poll()) {
      received.putIfAbsent(late.result().task(), late.result());
    }
    long decided = System.currentTimeMillis();
    long removeMs = 0;
    TrainingState next;
    int recomputed = 0;
    long averageBlockBytes = 0;
    Map<Integer, WorkerResult> accepted;
    if (collect != null) {
      next = collect.average(r, state.updates() + 1);
      accepted = collect.accepted();
    } else {
      try {
        ShardedAggregation.Outcome out = new ShardedAggregation(JavaSparkContext.fromSparkContext(sc),
            cfg.maxRoundAttempts(), faults).average(firstN, layout, r, state.updates() + 1,
                t -> recompute(sc, shards, task, t, r));
        next = out.state();
        recomputed = out.recomputed();
        averageBlockBytes = out.blockBytesRead();
      } finally {
        long rm0 = System.currentTimeMillis();
        ResultBlocks.removeRounds(cfg.runId(), r);
        removeMs = System.currentTimeMillis() - rm0;
      }
      accepted = firstN.accepted();
    }
    long un0 = System.currentTimeMillis();
    input.unpersist(false);
    long unpersistMs = System.currentTimeMillis() - un0;
    LOG.debug("round {}: broadcast {} ms, submit {} ms, first N after {} ms, aggregation {} ms (block removal {} ms),"
        + " unpersist {} ms", r, broadcastMs, submitted - t0, decided - submitted,
        System.currentTimeMillis() - decided - unpersistMs, removeMs, unpersistMs);
    // The round's wall time ends when the next round could start: averaging included.
    long wall = System.currentTimeMillis() - t0;
    double loss = accepted.values().stream().mapToDouble(WorkerResult::loss).average().orElse(Double.NaN);
    long slowest = accepted.values().stream().mapToLong(WorkerResult::workMs).max().orElse(0);
    Map<Integer, WorkerResult> facts = new TreeMap<>();
    received.forEach((t, res) -> facts.put(t, res.withoutVectors()));
    logs.add(new RoundLog(r, b, jobIds, facts, java.util.Set.copyOf(accepted.keySet())));
    RoundSummary summary = new RoundSummary(r, loss, accepted.size(), received.size(), wall, slowest, lr,
        new EngineTimes(submitted - t0, lastLag, t0 + wall - lastTaken), java.util.Set.copyOf(resubmittedAccepted),
        mode, recomputed, b, averageBlockBytes);
    LOG.info(String.format("run %s round %d: loss %.4f, b %d, accepted %d, dropped %d, %.2f s (engine %d ms)",
        cfg.runId(), r, loss, b, accepted.size(), cfg.tasksPerRound() - accepted.size(), wall / 1000.0,
        summary.orchestrationMs()));
    observer.afterRound(summary, next);
    return next;
  }

  private void submit(SparkContext sc, JavaRDD<ExampleShard> shards, RoundTask task, List<Integer> partitions,
      boolean resubmission, LinkedBlockingQueue<Arrival> queue, Map<SimpleFutureAction<BoxedUnit>, List<Integer>> jobs,
      List<Integer> jobIds) {
    scala.Function2<Object, WorkerResult, BoxedUnit> handler = (idx, res) -> {
      queue.add(new Arrival(res, resubmission));
      return BoxedUnit.UNIT;
    };
    SimpleFutureAction<BoxedUnit> f = sc.submitJob(shards.rdd(), task,
        scala.collection.JavaConverters.asScalaBufferConverter(partitions.stream().map(i -> (Object) i).toList()).asScala().toSeq(),
        handler, () -> BoxedUnit.UNIT);
    jobs.put(f, partitions);
    scala.collection.Iterator<Object> ids = f.jobIds().iterator();
    while (ids.hasNext()) {
      jobIds.add((Integer) ids.next());
    }
  }

  /**
   * Runs task {@code partition} of round {@code round} again, alone, from the round's broadcast
   * input (sharded mode: its stored result was lost); retried up to {@code max-round-attempts}.
   */
  private WorkerResult recompute(SparkContext sc, JavaRDD<ExampleShard> shards, RoundTask task, int partition,
      int round) throws InterruptedException {
    String last = "no result";
    for (int a = 1; a <= cfg.maxRoundAttempts(); a++) {
      LinkedBlockingQueue<Arrival> queue = new LinkedBlockingQueue<>();
      Map<SimpleFutureAction<BoxedUnit>, List<Integer>> jobs = new HashMap<>();
      submit(sc, shards, task, List.of(partition), true, queue, jobs, new ArrayList<>());
      SimpleFutureAction<BoxedUnit> job = jobs.keySet().iterator().next();
      Arrival got = null;
      while (got == null && !(job.isCompleted() && queue.isEmpty())) {
        got = queue.poll(50, TimeUnit.MILLISECONDS);
      }
      if (got != null && got.result().ok()) {
        return got.result();
      }
      last = got != null ? got.result().error() : job.value().get().failed().get().toString();
      LOG.warn("round {}: recomputing task {} failed (attempt {}): {}", round, partition, a, last);
    }
    throw new IllegalStateException("round " + round + ": task " + partition + "'s lost result could not be"
        + " recomputed in " + cfg.maxRoundAttempts() + " attempts; last failure: " + last);
  }

  private void retry(SparkContext sc, JavaRDD<ExampleShard> shards, RoundTask task, LinkedBlockingQueue<Arrival> queue,
      Map<SimpleFutureAction<BoxedUnit>, List<Integer>> jobs, List<Integer> jobIds, java.util.Set<Integer> pending,
      Map<Integer, Integer> attempts, int partition, int round, int n, String cause) {
    int a = attempts.merge(partition, 1, Integer::sum);
    if (a > cfg.maxRoundAttempts()) {
      throw new IllegalStateException("round " + round + ": shard " + partition + " failed " + (a - 1)
          + " times and too few workers remain for N = " + n + "; last failure: " + cause);
    }
    pending.add(partition);
    submit(sc, shards, task, List.of(partition), true, queue, jobs, jobIds);
  }

  /** A job that ended without results for some partitions (it failed) gets those partitions resubmitted. */
  private void resubmitFailedJobs(SparkContext sc, JavaRDD<ExampleShard> shards, RoundTask task,
      LinkedBlockingQueue<Arrival> queue, Map<SimpleFutureAction<BoxedUnit>, List<Integer>> jobs,
      List<Integer> jobIds, java.util.Set<Integer> pending, Map<Integer, Integer> attempts, int round, int n) {
    if (!queue.isEmpty()) {
      return;
    }
    for (Map.Entry<SimpleFutureAction<BoxedUnit>, List<Integer>> e : new ArrayList<>(jobs.entrySet())) {
      SimpleFutureAction<BoxedUnit> f = e.getKey();
      if (!f.isCompleted()) {
        continue;
      }
      jobs.remove(f);
      scala.util.Try<BoxedUnit> outcome = f.value().get();
      if (outcome.isFailure()) {
        LOG.warn("round {}: job for shards {} failed: {}", round, e.getValue(), outcome.failed().get().toString());
        for (int p : e.getValue()) {
          if (pending.contains(p)) {
            pending.remove(p);
            retry(sc, shards, task, queue, jobs, jobIds, pending, attempts, p, round, n,
                outcome.failed().get().toString());
          }
        }
      }
    }
  }

  /**
   * Every task attempt of the rounds run so far, with its times from Spark's scheduler (cancelled
   * stragglers included) and its loss when its result was received. Waits briefly for the
   * listener bus to report the last tasks.
   */
  public List<TaskRecord> taskRecords(int round) throws InterruptedException {
    RoundLog log = logs.stream().filter(l -> l.round() == round).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no round " + round + " in this run"));
    List<TaskRecord> out = new ArrayList<>();
    for (int i = 0; i < log.jobIds().size(); i++) {
      int job = log.jobIds().get(i);
      int expected = i == 0 ? cfg.tasksPerRound() : 1;
      for (TaskTimes.Ended e : taskTimes.awaitEnded(job, expected, 2000)) {
        WorkerResult res = e.successful() ? log.received().get(e.partition()) : null;
        boolean acc = e.successful() && log.accepted().contains(e.partition()) && res != null && res.ok();
        out.add(new TaskRecord(e.partition(), e.partition(), e.executor(), e.launchMs(), e.finishMs(), acc,
            res == null || !res.ok() ? null : res.loss(), res == null || !res.ok() ? null : res.examples(),
            log.backups()));
      }
    }
    return out;
  }

  /**
   * The durations (s) of every task of the rounds run so far that ended with a result or was
   * cancelled (a cancelled one up to its cancellation), from Spark's scheduler: the times
   * {@code backups = auto} chooses from. Waits up to {@link #TASK_TIMES_WAIT_MS} in all for the
   * listener bus to report tasks of rounds not yet read.
   */
  private double[] observedSeconds() {
    long until = System.currentTimeMillis() + TASK_TIMES_WAIT_MS;
    for (; observedRounds < logs.size(); observedRounds++) {
      RoundLog log = logs.get(observedRounds);
      for (int i = 0; i < log.jobIds().size(); i++) {
        int expected = i == 0 ? cfg.tasksPerRound() : 1;
        List<TaskTimes.Ended> ended;
        try {
          ended = taskTimes.awaitEnded(log.jobIds().get(i), expected, Math.max(0, until - System.currentTimeMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while reading the task times of round " + log.round(), e);
        }
        for (TaskTimes.Ended e : ended) {
          if ((e.successful() || e.killed()) && e.finishMs() > e.launchMs()) {
            observed.add((e.finishMs() - e.launchMs()) / 1000.0);
          }
        }
      }
    }
    return observed.stream().mapToDouble(Double::doubleValue).toArray();
  }

  /** The GPU addresses the received results ran on (empty without GPU scheduling). */
  public java.util.Set<String> devicesSeen() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (RoundLog l : logs) {
      l.received().values().stream().map(WorkerResult::device).filter(java.util.Objects::nonNull).forEach(out::add);
    }
    return out;
  }

  /** Floats of parameter or optimizer-state vectors this trainer still holds from past rounds (none). */
  long retainedFloats() {
    return logs.stream().flatMap(l -> l.received().values().stream())
        .mapToLong(w -> (w.parameters() == null ? 0 : w.parameters().length)
            + (w.optimizerState() == null ? 0 : w.optimizerState().length))
        .sum();
  }

  public List<Integer> roundsRun() {
    return logs.stream().map(RoundLog::round).toList();
  }
}
