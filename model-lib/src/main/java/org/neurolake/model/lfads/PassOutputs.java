package org.neurolake.model.lfads;

/**
 * One forward pass's outputs on the host, time-major (row {@code t * batch + r}): expected counts
 * [T*B, nOut], factors [T*B, factors], inferred-input posterior means [T*B, inputDim] (empty without
 * the controller; 0 at steps past the data) and g0 posterior means [B, g0Dim].
 */
record PassOutputs(int batch, int nOut, int factors, int inputDim, int g0Dim, float[] rates, float[] factorValues,
    float[] inputMeans, float[] g0Means) {
  float rate(int t, int r, int n) {
    return rates[(t * batch + r) * nOut + n];
  }

  float factor(int t, int r, int j) {
    return factorValues[(t * batch + r) * factors + j];
  }

  float inputMean(int t, int r, int d) {
    return inputMeans[(t * batch + r) * inputDim + d];
  }

  float g0Mean(int r, int z) {
    return g0Means[r * g0Dim + z];
  }
}
