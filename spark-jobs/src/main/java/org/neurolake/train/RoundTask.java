package org.neurolake.train;

import java.io.Serializable;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;
import scala.collection.Iterator;

/**
 * One task of a round, run on an executor: start from the broadcast parameters and optimizer
 * state, take K local steps on the task's shard, add the injected delay, return the result (in the
 * sharded mode: store its vectors in the executor's block manager and return only the record).
 *
 * <p>It checks {@link TaskContext#isInterrupted()} between steps: a CPU-bound native loop ignores
 * Thread.interrupt, and a cancelled straggler would otherwise keep its slot (and a core) into the
 * next round. A failure inside the model becomes a result with an error, not a failed task, so
 * that one bad worker cannot abort the whole round's job; the driver simply does not count it.
 */
final class RoundTask implements scala.Function1<Iterator<ExampleShard>, WorkerResult>, Serializable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RoundTask.class);
  private final TrainerConfig cfg;
  private final ModelSpec spec;
  private final Broadcast<RoundInput> input;
  private final FaultInjection faults;
  private final SliceLayout stored;

  /**
   * A round's task; {@code stored} is null in the collect mode (the result carries its vectors), or
   * how the sharded mode cuts the result it keeps in the executor's block manager.
   */
  RoundTask(TrainerConfig cfg, ModelSpec spec, Broadcast<RoundInput> input, FaultInjection faults,
      SliceLayout stored) {
    this.cfg = cfg;
    this.spec = spec;
    this.input = input;
    this.faults = faults;
    this.stored = stored;
  }

  /** Thrown to end a task the driver cancelled. */
  static final class Cancelled extends RuntimeException {
    Cancelled() {
      super("cancelled by the driver: enough results for the round", null, false, false);
    }
  }

  /**
   * The task's executor-side overhead by phase, at DEBUG: reading the broadcast, setting the model
   * up, and (after the work and any injected delay) reading the model's vectors and storing or
   * packing them.
   */
  private static void phases(RoundInput in, int task, long start, long read, long workStart, long workEnd) {
    if (LOG.isDebugEnabled()) {
      long now = System.currentTimeMillis();
      LOG.debug("round {} task {}: broadcast read {} ms, model set {} ms, work {} ms, result out {} ms",
          in.round(), task, read - start, workStart - read, workEnd - workStart, now - workEnd);
    }
  }

  @Override
  public WorkerResult apply(Iterator<ExampleShard> shards) {
    TaskContext ctx = TaskContext.get();
    long start = System.currentTimeMillis();
    RoundInput in = input.value();
    long read = System.currentTimeMillis();
    int task = ctx.partitionId();
    String executor = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
    ExampleShard shard = shards.next();
    String device = DevicePinning.pin(ctx);
    WorkerModels.limitThreads(ctx.cpus());
    TrainableModel model = WorkerModels.borrow(spec);
    boolean averaged = cfg.optimizerState() == OptimizerStatePolicy.AVERAGED;
    try {
      faults.beforeWork(in.round(), task, ctx.attemptNumber());
      float[] kept = averaged ? null : WorkerOptimizerStates.get(in.runId(), task);
      LocalSteps.start(model, in, averaged ? in.optimizerState()
          : kept != null ? kept : WorkerModels.initialOptimizerState(spec));
      // The task's own work starts here: reading the broadcast and setting the model up above, and
      // packing the result below, are the engine's executor-side overhead (WorkerResult.workMs).
      long workStart = System.currentTimeMillis();
      java.util.OptionalDouble loss = LocalSteps.run(model, shard, cfg, in.round(), ctx::isInterrupted);
      if (loss.isEmpty()) {
        throw new Cancelled();
      }
      long workMs = System.currentTimeMillis() - workStart;
      long workEnd = System.currentTimeMillis();
      if (!cfg.stragglers().spend(cfg.stragglers().delayMs(cfg.seed(), in.round(), task, workMs),
          ctx::isInterrupted)) {
        throw new Cancelled();
      }
      long workAndDelayMs = System.currentTimeMillis() - workStart;
      float[] state = model.optimizerState();
      if (!averaged) {
        WorkerOptimizerStates.put(in.runId(), task, state);
      }
      if (stored != null) {
        StoredResult where = new StoredResult(in.runId(), in.round(), task, ctx.taskAttemptId(), stored.count());
        ResultBlocks.store(where, stored, model.parameterBuffer(), averaged ? state : new float[0]);
        if (faults.loseStoredResult(in.round(), task)) {
          ResultBlocks.drop(where);
        }
        phases(in, task, start, read, workStart, workEnd);
        return WorkerResult.stored(in, where, loss.getAsDouble(), (long) cfg.localSteps() * cfg.batchSize(), start,
            workAndDelayMs, executor, device);
      }
      WorkerResult ok = WorkerResult.ok(in, task, model.parameters(), averaged ? state : null, loss.getAsDouble(),
          (long) cfg.localSteps() * cfg.batchSize(), start, workAndDelayMs, executor, device);
      phases(in, task, start, read, workStart, workEnd);
      return ok;
    } catch (Cancelled c) {
      throw c;
    } catch (RuntimeException e) {
      return WorkerResult.failed(in, task, start, executor, device, e.toString());
    } finally {
      WorkerModels.giveBack(model);
    }
  }
}
