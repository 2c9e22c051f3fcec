package org.neurolake.model.lfads;

import java.util.SplittableRandom;

/**
 * The random draws of one forward pass, all from one seed in a fixed order: dropout masks (already
 * divided by the keep probability; null when there is no dropout) and the standard-normal noise of
 * the g0 and u posterior samples (zeros for posterior means). Coordinated dropout has its own
 * stream from the same seed (so switching it on leaves the other draws as they were): {@code
 * maskCd} scales the input [T*B, nIn] (0 dropped, 1 / (1 - rate) kept) and {@code reconWeight}
 * [T*B, nOut] says which entries the reconstruction cost counts (1: the dropped held-in entries
 * and every held-out one; 0: the kept held-in ones). Both are null without coordinated dropout.
 */
final class PassNoise {
  /** Mixed with the pass seed for the coordinated-dropout stream. */
  private static final long COORDINATED_DROPOUT_STREAM = 0xC0_0D_D0L;

  final float[] maskX;
  final float[] maskIc;
  final float[] maskCon;
  final float[] maskGen;
  final float[] epsG0;
  final float[] epsU;
  final float[] maskCd;
  final float[] reconWeight;

  /** Dimensions: B rows, T steps; the spec gives the layer sizes. */
  PassNoise(LfadsSpec spec, int batch, int steps, PassMode mode, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    int rows = batch * steps;
    boolean drop = mode.dropout && spec.keepProb() < 1.0;
    float keep = (float) spec.keepProb();
    maskX = drop ? mask(rng, rows * spec.nIn(), keep) : null;
    maskIc = drop ? mask(rng, batch * 2 * spec.icEncDim(), keep) : null;
    maskCon = drop && spec.controllerOn() ? mask(rng, rows * (2 * spec.ciEncDim() + spec.factors()), keep) : null;
    maskGen = drop ? mask(rng, rows * spec.genDim(), keep) : null;
    epsG0 = gaussian(rng, batch * spec.g0Dim(), mode.sample);
    epsU = gaussian(rng, rows * spec.inputDim(), mode.sample);
    if (mode.dropout && spec.coordinatedDropoutOn()) {
      int nIn = spec.nIn();
      int nOut = spec.nOut();
      maskCd = mask(new SplittableRandom(Seeds.mix(seed, COORDINATED_DROPOUT_STREAM)), rows * nIn,
          (float) (1.0 - spec.coordinatedDropout()));
      reconWeight = new float[rows * nOut];
      for (int row = 0; row < rows; row++) {
        for (int j = 0; j < nOut; j++) {
          reconWeight[row * nOut + j] = j >= nIn || maskCd[row * nIn + j] == 0f ? 1f : 0f;
        }
      }
    } else {
      maskCd = null;
      reconWeight = null;
    }
  }

  private static float[] mask(SplittableRandom rng, int n, float keep) {
    float[] m = new float[n];
    float kept = 1f / keep;
    for (int i = 0; i < n; i++) {
      m[i] = rng.nextDouble() < keep ? kept : 0f;
    }
    return m;
  }

  private static float[] gaussian(SplittableRandom rng, int n, boolean draw) {
    float[] e = new float[n];
    if (draw) {
      for (int i = 0; i < n; i++) {
        e[i] = (float) rng.nextGaussian();
      }
    }
    return e;
  }
}
