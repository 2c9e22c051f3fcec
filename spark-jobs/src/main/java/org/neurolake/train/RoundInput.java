package org.neurolake.train;

import java.io.Serializable;

/** What the driver broadcasts to a round's tasks. */
public record RoundInput(String runId, int round, PackedFloats packedParameters, PackedFloats packedOptimizerState,
    long step, double learningRate) implements Serializable {

  public RoundInput(String runId, int round, float[] parameters, float[] optimizerState, long step, double learningRate) {
    this(runId, round, new PackedFloats(parameters), new PackedFloats(optimizerState), step, learningRate);
  }

  public float[] parameters() {
    return packedParameters.values();
  }

  public float[] optimizerState() {
    return packedOptimizerState.values();
  }
}
