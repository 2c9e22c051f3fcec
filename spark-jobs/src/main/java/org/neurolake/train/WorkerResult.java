package org.neurolake.train;

import java.io.Serializable;

/**
 * What one task of a round returns: its parameters and optimizer state after K local steps (null
 * when it failed), the mean training loss over its steps, and when and where it ran (executor, and
 * the GPU address Spark assigned to the task, or null).
 */
public record WorkerResult(String runId, int round, int task, float[] parameters, float[] optimizerState,
    double loss, long examples, long startMs, long endMs, String executor, String device, String error)
    implements Serializable {

  public boolean ok() {
    return error == null;
  }

  public long ownMs() {
    return endMs - startMs;
  }
}
