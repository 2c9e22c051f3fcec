package org.neurolake.train;

import java.io.Serializable;

/**
 * What one task of a round returns: its parameters and optimizer state after K local steps (null
 * when it failed; the state is also null under {@link OptimizerStatePolicy#PER_WORKER}), the mean training loss over its steps, and when and where it ran (executor, and
 * the GPU address Spark assigned to the task, or null). {@code workMs} is the part of the task
 * spent on its K steps and any injected straggler delay; the rest of {@code endMs - startMs}
 * (reading the broadcast, setting the model up, packing the result) is engine overhead. In the
 * sharded mode the vectors stay on the executor and {@code stored} says where (null otherwise).
 */
public record WorkerResult(String runId, int round, int task, PackedFloats packedParameters,
    PackedFloats packedOptimizerState, double loss, long examples, long startMs, long endMs, long workMs,
    String executor, String device, String error, StoredResult stored) implements Serializable {

  static WorkerResult ok(RoundInput in, int task, float[] parameters, float[] state, double loss, long examples,
      long startMs, long workMs, String executor, String device) {
    return new WorkerResult(in.runId(), in.round(), task, new PackedFloats(parameters),
        state == null ? null : new PackedFloats(state), loss,
        examples, startMs, System.currentTimeMillis(), workMs, executor, device, null, null);
  }

  /** A successful result whose vectors were stored on the executor ({@link ResultBlocks}). */
  static WorkerResult stored(RoundInput in, StoredResult stored, double loss, long examples, long startMs,
      long workMs, String executor, String device) {
    return new WorkerResult(in.runId(), in.round(), stored.task(), null, null, loss, examples, startMs,
        System.currentTimeMillis(), workMs, executor, device, null, stored);
  }

  static WorkerResult failed(RoundInput in, int task, long startMs, String executor, String device, String error) {
    long end = System.currentTimeMillis();
    return new WorkerResult(in.runId(), in.round(), task, null, null, Double.NaN, 0, startMs, end, end - startMs,
        executor, device, error, null);
  }

  /**
   * This result without its vectors: what the driver keeps of a round once it is averaged (the
   * train_rounds facts). Keeping whole results cost a model's size per task and round, and ran an
   * mLSTM run out of heap after a hundred rounds.
   */
  WorkerResult withoutVectors() {
    return new WorkerResult(runId, round, task, null, null, loss, examples, startMs, endMs, workMs, executor, device,
        error, stored);
  }

  public float[] parameters() {
    return packedParameters == null ? null : packedParameters.values();
  }

  public float[] optimizerState() {
    return packedOptimizerState == null ? null : packedOptimizerState.values();
  }

  public boolean ok() {
    return error == null;
  }

  public long ownMs() {
    return endMs - startMs;
  }
}
