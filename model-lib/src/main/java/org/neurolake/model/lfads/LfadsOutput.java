package org.neurolake.model.lfads;

/**
 * What {@link LfadsModel#infer} returns, indexed [trial][bin][...] in the batch's trial order.
 *
 * @param rates posterior-averaged Poisson rates as expected counts per bin [n][nBins][nOut]
 *     (held-in neurons first, then held-out); divide by the bin width in seconds for Hz
 * @param factors posterior-averaged factors [n][nBins][factors]
 * @param inputs posterior means of the inferred inputs u_t, averaged over samples
 *     [n][nBins][inputDim] (inputDim 0 with the controller off)
 * @param g0Mean posterior mean of the initial condition g0 [n][g0Dim]
 */
public record LfadsOutput(float[][][] rates, float[][][] factors, float[][][] inputs, float[][] g0Mean) {}
