package org.neurolake.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.checkpoint.Checkpoint;
import org.neurolake.checkpoint.CheckpointStore;
import org.neurolake.checkpoint.HadoopCheckpointStore;
import org.neurolake.eval.EvaluationsTable;
import org.neurolake.eval.Metric;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.table.TableAppender;

/**
 * The driver side of one training run, the same for every model: resume from the newest valid
 * checkpoint, write the run's {@link RunRecord}, train with {@link BackupWorkerTrainer}, checkpoint
 * every M rounds and at the end, append evaluations every E rounds and at the end, and append the
 * run's {@code train_rounds}. A model family only gives its spec, its shards and its {@link Evaluator}
 * ({@code jobs.TrainJob} asks it for them).
 *
 * <p>Outputs: {@code <checkpointDir>/run.json} (the run's full configuration), checkpoints in
 * {@code checkpointDir}, {@code evaluations} rows in partition {@code model=<model>} and
 * {@code train_rounds} rows in partition {@code run_id=<run-id>}, each appended atomically.
 */
public final class TrainingRun {
  /**
   * What to run.
   *
   * @param family the model family (also the evaluations partition), e.g. {@code mlp}, {@code lfads}
   * @param dataset the dataset name written with every evaluation
   * @param lastRound stop after this many rounds in total (with a checkpoint); normally the
   *     trainer's {@code rounds}
   */
  public record Config(Lake lake, String family, String dataset, TrainerConfig trainer, Path checkpointDir,
      boolean resume, int lastRound) {
    public Config {
      Objects.requireNonNull(lake, "lake");
      PartitionKey.requireSafe(family);
      Objects.requireNonNull(dataset, "dataset");
      Objects.requireNonNull(trainer, "trainer");
      Objects.requireNonNull(checkpointDir, "checkpointDir");
      if (lastRound < 1 || lastRound > trainer.rounds()) {
        throw new IllegalArgumentException("--stop-after-round must be in [1, rounds=" + trainer.rounds() + "]");
      }
    }

    /** The default checkpoint location of a run: {@code <lake>/checkpoints/<run-id>}. */
    public static Path defaultCheckpointDir(Lake lake, String runId) {
      return new Path(new Path(lake.root()), "checkpoints/" + runId);
    }
  }

  /** One evaluation figure; the run id, model, dataset, round and time are added when it is written. */
  public record Evaluation(String split, String metric, double value) {}

  /** Computes a run's evaluations of the parameters after a round. */
  @FunctionalInterface
  public interface Evaluator {
    /**
     * @param parameters the averaged parameters
     * @param step the model step the next round's workers start from (step-dependent cost terms, such
     *     as LFADS's KL and L2 ramps, are weighed as they weigh them)
     */
    List<Evaluation> evaluate(float[] parameters, long step);

    /** No evaluation. */
    Evaluator NONE = (parameters, step) -> List.of();

    /** Evaluates with {@code model} (the family's own type, built once), set to the parameters and step first. */
    static <M extends TrainableModel> Evaluator on(M model, java.util.function.Function<M, List<Evaluation>> f) {
      return (parameters, step) -> {
        model.setParameters(parameters);
        model.setStep(step);
        return f.apply(model);
      };
    }
  }

  /** What a run produced. */
  public record Result(TrainingState state, List<BackupWorkerTrainer.RoundSummary> rounds,
      List<Evaluation> finalEvaluations) {
    /** The final figures of one split as metric → value. */
    public Map<String, Double> metrics(String split) {
      Map<String, Double> m = new LinkedHashMap<>();
      finalEvaluations.stream().filter(e -> e.split().equals(split)).forEach(e -> m.put(e.metric(), e.value()));
      return m;
    }
  }

  private TrainingRun() {}

  /**
   * Runs (or resumes) the run. {@code shards} must have N+b partitions, one shard each, and be
   * cached; they are not unpersisted here.
   */
  public static Result run(SparkSession spark, Config cfg, ModelSpec spec, Object dataDescription,
      JavaRDD<ExampleShard> shards, Evaluator evaluator, FaultInjection faults) throws InterruptedException {
    TrainerConfig tc = cfg.trainer();
    CheckpointStore store = new HadoopCheckpointStore(spark.sparkContext().hadoopConfiguration(), cfg.checkpointDir(),
        faults::midCheckpoint);
    TrainingState start = cfg.resume() ? resumeState(store, cfg.checkpointDir(), tc.runId(), spec)
        : BackupWorkerTrainer.initialState(spec);
    RunRecord.of(tc.runId(), cfg.family(), cfg.dataset(), spec, tc, dataDescription, spark.sparkContext().master())
        .write(spark.sparkContext().hadoopConfiguration(), cfg.checkpointDir());
    TableAppender appender = new TableAppender(spark.sparkContext().hadoopConfiguration());
    if (start.nextRound() >= cfg.lastRound()) {
      // A rerun of a finished run (e.g. a scheduler retrying the task): train nothing, append nothing twice.
      System.out.printf("run %s is already at round %d of %d; nothing to train%n", tc.runId(), start.nextRound(),
          cfg.lastRound());
      List<Evaluation> evaluations = evaluate(evaluator, start, tc);
      if (!hasEvaluations(spark, cfg, start.nextRound())) {
        appendEvaluations(spark, cfg, evaluations, start.nextRound());
      }
      return new Result(start, List.of(), evaluations);
    }

    BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, tc, spec, faults);
    List<BackupWorkerTrainer.RoundSummary> summaries = new ArrayList<>();
    // What the periodic steps already wrote: a run the time budget ends on a multiple of M or E
    // must not get a second checkpoint or a second set of evaluations for that round.
    var periodic = new Object() {
      int checkpointedAt = -1;
      int evaluatedAt = -1;
      List<Evaluation> evaluations;
    };
    TrainingState end = trainer.train(shards, start, cfg.lastRound(), (summary, state) -> {
      summaries.add(summary);
      int done = state.nextRound();
      if (tc.checkpointEvery() > 0 && done % tc.checkpointEvery() == 0 && done < cfg.lastRound()) {
        store.commit(checkpoint(state, tc, spec), tc.keepCheckpoints());
        periodic.checkpointedAt = done;
      }
      if (tc.evalEvery() > 0 && done % tc.evalEvery() == 0 && done < cfg.lastRound()) {
        periodic.evaluations = evaluate(evaluator, state, tc);
        appendEvaluations(spark, cfg, periodic.evaluations, done);
        periodic.evaluatedAt = done;
      }
    });
    if (periodic.checkpointedAt != end.nextRound()) {
      store.commit(checkpoint(end, tc, spec), tc.keepCheckpoints());
    }
    List<Evaluation> evaluations = periodic.evaluations;
    if (periodic.evaluatedAt != end.nextRound()) {
      evaluations = evaluate(evaluator, end, tc);
      appendEvaluations(spark, cfg, evaluations, end.nextRound());
    }
    appendRounds(spark, appender, cfg, trainer);
    return new Result(end, summaries, evaluations);
  }

  /**
   * The newest valid checkpoint's state, or the initial state when there is no checkpoint at all.
   * Checkpoints that all fail to verify are an error, not a reason to train from round 0: the run
   * starts afresh only when asked (its checkpoints moved aside). A checkpoint of another model (its
   * spec differs) is an error, not something to train on.
   */
  static TrainingState resumeState(CheckpointStore store, Path checkpointDir, String runId, ModelSpec spec) {
    Optional<Checkpoint> c = store.latestValid();
    if (c.isEmpty()) {
      List<Integer> unusable = store.rounds();
      if (!unusable.isEmpty()) {
        throw new BadInputException("--resume: every checkpoint of run " + runId + " in " + checkpointDir
            + " (rounds " + unusable + ") is corrupt or truncated; nothing trained. To start the run afresh, move "
            + checkpointDir + " aside and run again");
      }
      System.out.println("no checkpoint in " + checkpointDir + "; starting run " + runId + " afresh");
      return BackupWorkerTrainer.initialState(spec);
    }
    if (!ModelSpecs.fromJson(c.get().modelSpecJson()).equals(spec)) {
      throw new IllegalArgumentException("the checkpoint in " + checkpointDir + " is of another model: "
          + c.get().modelSpecJson());
    }
    TrainingState s = new TrainingState(c.get().nextRound(), c.get().parameters(), c.get().optimizerState(),
        c.get().updates());
    System.out.printf("resuming run %s at round %d (%d updates) from %s%n", runId, s.nextRound(),
        s.updates(), checkpointDir);
    return s;
  }

  private static boolean hasEvaluations(SparkSession spark, Config cfg, int round) {
    Path table = cfg.lake().tablePath(LakeTables.EVALUATIONS);
    try {
      if (!table.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(table)) {
        return false;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + table, e);
    }
    return !org.neurolake.pipelines.table.TableReader.read(spark, cfg.lake(), LakeTables.EVALUATIONS)
        .where(org.apache.spark.sql.functions.col(Columns.MODEL).equalTo(cfg.family())
            .and(org.apache.spark.sql.functions.col(Columns.RUN_ID).equalTo(cfg.trainer().runId()))
            .and(org.apache.spark.sql.functions.col(Columns.ROUND).equalTo(round)))
        .isEmpty();
  }

  private static Checkpoint checkpoint(TrainingState s, TrainerConfig tc, ModelSpec spec) {
    return new Checkpoint(s.nextRound(), s.updates(), tc.seed(), s.parameters(), s.optimizerState(),
        ModelSpecs.toJson(spec), tc.toProperties());
  }

  private static List<Evaluation> evaluate(Evaluator evaluator, TrainingState s, TrainerConfig tc) {
    // Step-dependent terms (LFADS's KL and L2 ramps) weighed as the next round's workers weigh them.
    return evaluator.evaluate(s.parameters(), tc.stepAt(s.nextRound()));
  }

  /** Appends the run's evaluations for {@code round} to partition {@code model=<family>}, atomically. */
  private static void appendEvaluations(SparkSession spark, Config cfg, List<Evaluation> evaluations, int round) {
    EvaluationsTable.append(spark, cfg.lake(), cfg.trainer().runId(), round, evaluations.stream()
        .map(e -> new Metric(cfg.family(), cfg.dataset(), e.split(), e.metric(), e.value())).toList());
  }

  private static void appendRounds(SparkSession spark, TableAppender appender, Config cfg, BackupWorkerTrainer trainer)
      throws InterruptedException {
    List<Row> rows = new ArrayList<>();
    for (int r : trainer.roundsRun()) {
      for (TaskRecord t : trainer.taskRecords(r)) {
        rows.add(RowFactory.create(r, t.task(), t.partition(), t.executor(), t.startMs(), t.endMs(), t.accepted(),
            t.loss(), t.examples(), t.backups()));
      }
    }
    if (!rows.isEmpty()) {
      appender.append(spark.createDataFrame(rows, LakeTables.TRAIN_ROUNDS.dataSchema()), cfg.lake(),
          LakeTables.TRAIN_ROUNDS, PartitionKey.of(LakeTables.TRAIN_ROUNDS, cfg.trainer().runId()));
    }
  }
}
