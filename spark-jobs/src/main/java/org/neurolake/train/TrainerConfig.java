package org.neurolake.train;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.neurolake.pipelines.table.PartitionKey;

/**
 * The engine's options: N workers whose results are averaged, b backups, K local steps of
 * {@code batchSize} examples per task and round, the learning-rate schedule, seed, injected
 * stragglers, how often to checkpoint and evaluate, and an optional wall-clock budget
 * ({@code time-budget-s}, 0 = none: the run then ends after the first round that reaches it, with
 * its final checkpoint and evaluation, even if fewer than {@code rounds} rounds ran). Build with {@link #builder()}, or from a
 * properties file in {@code conf/train/} whose keys are the option names ({@link #fromProperties}).
 *
 * <p>Optimizer state is by default <b>averaged</b> with the parameters each round (like DL4J's
 * {@code averageUpdaters}): every worker starts a round from the same parameters and state, so the
 * run is the same whichever tasks were dropped, and a checkpoint holds one state. With
 * {@code optimizer-state = per-worker} each shard's executor keeps it instead
 * ({@link OptimizerStatePolicy}).
 *
 * <p>{@code aggregation} ({@link AggregationMode}: {@code collect}, {@code sharded}, or by default
 * {@code auto}: sharded from {@code sharded-from-parameters} parameters, default
 * {@link AggregationMode#SHARDED_FROM_PARAMETERS}) says whether the results travel to the driver or
 * are averaged on the executors in {@code aggregation-slices} slices (0, the default: N).
 *
 * <p>{@code backups} is b, or {@code auto}: then each round runs M = N + {@code max-backups} tasks
 * (the shards) and averages the first M - b of them, b in [0, max-backups] re-chosen every
 * {@code auto-backups-every} rounds from the task times seen so far ({@link BackupSchedule}); the
 * run starts at b = 0. {@code max-backups} 0 (the default) means max(1, N / 10); both options are
 * stored with every config and used only under {@code auto}.
 */
public record TrainerConfig(String runId, int workers, int backups, int localSteps, int batchSize, int rounds,
    LearningRateSchedule learningRate, long seed, StragglerPolicy stragglers, int checkpointEvery,
    int keepCheckpoints, int evalEvery, int maxRoundAttempts, double timeBudgetSeconds, OptimizerStatePolicy optimizerState,
    AggregationMode aggregation, long shardedFromParameters, int aggregationSlices, boolean autoBackups,
    int maxBackups, int autoBackupsEvery) implements Serializable {
  /** Rounds between choices of b under {@code backups = auto}, by default (the simulator's default too). */
  public static final int DEFAULT_AUTO_BACKUPS_EVERY = 10;

  public TrainerConfig {
    PartitionKey.requireSafe(runId);
    if (workers < 1 || backups < 0 || localSteps < 1 || batchSize < 1 || rounds < 1) {
      throw new IllegalArgumentException("workers >= 1, backups >= 0, local-steps >= 1, batch-size >= 1, rounds >= 1"
          + " required; got " + workers + ", " + backups + ", " + localSteps + ", " + batchSize + ", " + rounds);
    }
    java.util.Objects.requireNonNull(optimizerState, "optimizer-state");
    java.util.Objects.requireNonNull(aggregation, "aggregation");
    if (shardedFromParameters < 1 || aggregationSlices < 0) {
      throw new IllegalArgumentException("sharded-from-parameters >= 1 and aggregation-slices >= 0 required; got "
          + shardedFromParameters + ", " + aggregationSlices);
    }
    if (maxBackups < 0 || autoBackupsEvery < 1 || (autoBackups && backups != 0)) {
      throw new IllegalArgumentException("max-backups >= 0 and auto-backups-every >= 1 required, and no fixed b"
          + " with backups = auto; got " + maxBackups + ", " + autoBackupsEvery + ", " + backups);
    }
    if (checkpointEvery < 0 || keepCheckpoints < 1 || evalEvery < 0 || maxRoundAttempts < 1
        || !(timeBudgetSeconds >= 0)) {
      throw new IllegalArgumentException("checkpoint-every >= 0, keep-checkpoints >= 1, eval-every >= 0,"
          + " max-round-attempts >= 1, time-budget-s >= 0 required");
    }
  }

  /** M, the tasks of every round (and the shards): N + b, or N + max-backups under {@code backups = auto}. */
  public int tasksPerRound() {
    return workers + (autoBackups ? largestBackups() : backups);
  }

  /** The largest b {@code backups = auto} may choose: {@code max-backups}, or max(1, N / 10) when it is 0. */
  public int largestBackups() {
    return maxBackups > 0 ? maxBackups : Math.max(1, workers / 10);
  }

  /**
   * The model step a worker starts round {@code round} from: every worker takes K local steps per
   * round, so step-dependent terms (ramps, dropout seeds) agree across workers and with evaluation.
   */
  public long stepAt(int round) {
    return (long) round * localSteps;
  }

  /** The aggregation mode a model of {@code parameters} parameters runs in: COLLECT or SHARDED. */
  public AggregationMode aggregationFor(long parameters) {
    return aggregation.resolve(parameters, shardedFromParameters);
  }

  /** The number of slices of the sharded mode: {@code aggregation-slices}, or N when 0. */
  public int slices() {
    return aggregationSlices > 0 ? aggregationSlices : workers;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The options as key=value pairs, in the properties-file form (stored with a run's outputs). */
  public Map<String, String> toProperties() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("run-id", runId);
    m.put("workers", Integer.toString(workers));
    m.put("backups", autoBackups ? AUTO : Integer.toString(backups));
    m.put("max-backups", Integer.toString(maxBackups));
    m.put("auto-backups-every", Integer.toString(autoBackupsEvery));
    m.put("local-steps", Integer.toString(localSteps));
    m.put("batch-size", Integer.toString(batchSize));
    m.put("rounds", Integer.toString(rounds));
    m.put("learning-rate", Double.toString(learningRate.base()));
    m.put("lr-schedule", learningRate.kind().name().toLowerCase(Locale.ROOT));
    m.put("lr-final-fraction", Double.toString(learningRate.finalFraction()));
    m.put("seed", Long.toString(seed));
    m.put("stragglers", stragglers.toString());
    m.put("checkpoint-every", Integer.toString(checkpointEvery));
    m.put("keep-checkpoints", Integer.toString(keepCheckpoints));
    m.put("eval-every", Integer.toString(evalEvery));
    m.put("max-round-attempts", Integer.toString(maxRoundAttempts));
    m.put("time-budget-s", Double.toString(timeBudgetSeconds));
    m.put("optimizer-state", optimizerState.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    m.put("aggregation", aggregation.name().toLowerCase(Locale.ROOT));
    m.put("sharded-from-parameters", Long.toString(shardedFromParameters));
    m.put("aggregation-slices", Integer.toString(aggregationSlices));
    return m;
  }

  /** Options from a properties file, then {@code overrides} (e.g. from the command line) on top. */
  public static TrainerConfig fromProperties(Path file, Map<String, String> overrides) {
    Properties p = new Properties();
    if (file != null) {
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read trainer config " + file + ": " + e.getMessage(), e);
      }
    }
    Map<String, String> all = new TreeMap<>();
    p.forEach((k, v) -> all.put(k.toString(), v.toString().trim()));
    all.putAll(overrides);
    return builder().apply(all).build();
  }

  /** The value of {@code backups} that asks for automatic backups. */
  public static final String AUTO = "auto";

  public static final class Builder {
    private String runId = "run";
    private int workers = 4;
    private int backups = 0;
    private int localSteps = 1;
    private int batchSize = 32;
    private int rounds = 10;
    private double learningRate = 1e-3;
    private LearningRateSchedule.Kind schedule = LearningRateSchedule.Kind.CONSTANT;
    private double finalFraction = 0.0;
    private long seed = 1;
    private StragglerPolicy stragglers = new StragglerPolicy.None();
    private int checkpointEvery = 0;
    private int keepCheckpoints = 3;
    private int evalEvery = 0;
    private int maxRoundAttempts = 3;
    private double timeBudgetSeconds = 0;
    private OptimizerStatePolicy optimizerState = OptimizerStatePolicy.AVERAGED;
    private AggregationMode aggregation = AggregationMode.AUTO;
    private long shardedFromParameters = AggregationMode.SHARDED_FROM_PARAMETERS;
    private int aggregationSlices = 0;
    private boolean autoBackups = false;
    private int maxBackups = 0;
    private int autoBackupsEvery = DEFAULT_AUTO_BACKUPS_EVERY;

    public Builder runId(String v) { runId = v; return this; }
    public Builder workers(int v) { workers = v; return this; }
    /** A fixed b (ends {@code auto}). */
    public Builder backups(int v) { backups = v; autoBackups = false; return this; }
    /** {@code backups = auto}: b chosen in [0, {@code max}] every {@code every} rounds. */
    public Builder autoBackups(int max, int every) {
      backups = 0;
      autoBackups = true;
      maxBackups = max;
      autoBackupsEvery = every;
      return this;
    }
    public Builder localSteps(int v) { localSteps = v; return this; }
    public Builder batchSize(int v) { batchSize = v; return this; }
    public Builder rounds(int v) { rounds = v; return this; }
    public Builder learningRate(double v) { learningRate = v; return this; }
    public Builder schedule(LearningRateSchedule.Kind v) { schedule = v; return this; }
    public Builder finalFraction(double v) { finalFraction = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder stragglers(StragglerPolicy v) { stragglers = v; return this; }
    public Builder checkpointEvery(int v) { checkpointEvery = v; return this; }
    public Builder keepCheckpoints(int v) { keepCheckpoints = v; return this; }
    public Builder evalEvery(int v) { evalEvery = v; return this; }
    public Builder maxRoundAttempts(int v) { maxRoundAttempts = v; return this; }
    public Builder timeBudgetSeconds(double v) { timeBudgetSeconds = v; return this; }
    public Builder optimizerState(OptimizerStatePolicy v) { optimizerState = v; return this; }
    public Builder aggregation(AggregationMode v) { aggregation = v; return this; }
    public Builder shardedFromParameters(long v) { shardedFromParameters = v; return this; }
    public Builder aggregationSlices(int v) { aggregationSlices = v; return this; }

    /** Applies key=value options; unknown keys are an error (a typo must not pass silently). */
    public Builder apply(Map<String, String> options) {
      for (Map.Entry<String, String> e : options.entrySet()) {
        String v = e.getValue();
        try {
          switch (e.getKey()) {
            case "run-id" -> runId = v;
            case "workers" -> workers = Integer.parseInt(v);
            case "backups" -> {
              autoBackups = v.trim().equalsIgnoreCase(AUTO);
              backups = autoBackups ? 0 : Integer.parseInt(v.trim());
            }
            case "max-backups" -> maxBackups = Integer.parseInt(v);
            case "auto-backups-every" -> autoBackupsEvery = Integer.parseInt(v);
            case "local-steps" -> localSteps = Integer.parseInt(v);
            case "batch-size" -> batchSize = Integer.parseInt(v);
            case "rounds" -> rounds = Integer.parseInt(v);
            case "learning-rate" -> learningRate = Double.parseDouble(v);
            case "lr-schedule" -> schedule = LearningRateSchedule.Kind.valueOf(v.toUpperCase(Locale.ROOT));
            case "lr-final-fraction" -> finalFraction = Double.parseDouble(v);
            case "seed" -> seed = Long.parseLong(v);
            case "stragglers" -> stragglers = StragglerPolicy.parse(v);
            case "checkpoint-every" -> checkpointEvery = Integer.parseInt(v);
            case "keep-checkpoints" -> keepCheckpoints = Integer.parseInt(v);
            case "eval-every" -> evalEvery = Integer.parseInt(v);
            case "max-round-attempts" -> maxRoundAttempts = Integer.parseInt(v);
            case "time-budget-s" -> timeBudgetSeconds = Double.parseDouble(v);
            case "optimizer-state" -> optimizerState = parsePolicy(v);
            case "aggregation" -> aggregation = AggregationMode.parse(v);
            case "sharded-from-parameters" -> shardedFromParameters = Long.parseLong(v);
            case "aggregation-slices" -> aggregationSlices = Integer.parseInt(v);
            default -> throw new IllegalArgumentException("unknown trainer option '" + e.getKey() + "'");
          }
        } catch (NumberFormatException ex) {
          throw new IllegalArgumentException("trainer option " + e.getKey() + "=" + v + " is not a number", ex);
        }
      }
      return this;
    }

    private static OptimizerStatePolicy parsePolicy(String v) {
      try {
        return OptimizerStatePolicy.valueOf(v.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("optimizer-state must be averaged or per-worker, not '" + v + "'", e);
      }
    }

    public TrainerConfig build() {
      return new TrainerConfig(runId, workers, backups, localSteps, batchSize, rounds,
          new LearningRateSchedule(schedule, learningRate, finalFraction), seed, stragglers, checkpointEvery,
          keepCheckpoints, evalEvery, maxRoundAttempts, timeBudgetSeconds, optimizerState, aggregation,
          shardedFromParameters, aggregationSlices, autoBackups, maxBackups, autoBackupsEvery);
    }
  }
}
