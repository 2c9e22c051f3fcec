package org.neurolake.train;

/**
 * Where a run stands between rounds: the averaged parameters and optimizer state, the next round
 * to run, and the number of averaging updates applied so far. The data cursor and every random
 * draw are functions of (seed, round, task), so the round number is also the data cursor and
 * the RNG state.
 */
public record TrainingState(int nextRound, float[] parameters, float[] optimizerState, long updates) {}
