package org.neurolake.sim;

/**
 * One row of {@code sim_rounds}: a round of a synchronous setting (index = round + 1, the updates
 * so far) or one applied update of the asynchronous setting. {@code virtualS} is the simulated
 * clock when it was applied; {@code workers} the results averaged into it (N, or 1 for async);
 * {@code staleness} the updates applied by others between the worker's read and its write (0 for
 * synchronous rounds).
 */
public record SimStep(String setting, long index, double virtualS, double loss, int workers, int backups,
    int staleness) {}
