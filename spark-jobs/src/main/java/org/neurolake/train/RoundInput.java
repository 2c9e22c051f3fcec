package org.neurolake.train;

import java.io.Serializable;

/** What the driver broadcasts to a round's tasks. */
public record RoundInput(String runId, int round, float[] parameters, float[] optimizerState, long step,
    double learningRate) implements Serializable {}
