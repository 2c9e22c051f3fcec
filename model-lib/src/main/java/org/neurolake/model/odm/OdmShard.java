package org.neurolake.model.odm;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ExampleShard;

/**
 * A worker's ODM data: a stretch of the unlabelled input sequence (cut into non-overlapping
 * windows of {@code window} positions, the shard's examples), a stretch of the real label sequence
 * drawn independently of it, and the few labelled examples (every shard holds all of them). A batch
 * of n windows is laid out as {@link OdmModel} reads it: n x window window rows (window i's inputs,
 * with window i of the label sequence as labels), then {@code labelledPerBatch} labelled rows (the
 * labelled examples in turn, all of them when there are no more).
 *
 * @param inputs the input sequence, positions x nIn, row-major
 * @param realLabels the label sequence (ids in [0, nClasses)), at least one window long
 * @param labelledFeatures labelled examples x nIn, row-major (may be empty)
 * @param labelledClasses their classes
 * @param labelledPerBatch labelled rows in each batch (capped at the labelled examples held)
 */
public record OdmShard(float[] inputs, int[] realLabels, float[] labelledFeatures, int[] labelledClasses, int nIn,
    int nClasses, int window, int labelledPerBatch) implements ExampleShard {

  public OdmShard {
    if (nIn < 1 || window < 1 || inputs.length % nIn != 0
        || labelledFeatures.length != (long) labelledClasses.length * nIn) {
      throw new IllegalArgumentException("inputs (" + inputs.length + " values) and labelled features ("
          + labelledFeatures.length + " values for " + labelledClasses.length + " examples) must be rows of " + nIn);
    }
    if (realLabels.length < window) {
      throw new IllegalArgumentException("the label sequence has " + realLabels.length
          + " symbols, less than a window of " + window);
    }
    checkIds("label sequence", realLabels, nClasses);
    checkIds("labelled classes", labelledClasses, nClasses);
    if (labelledPerBatch < 0) {
      throw new IllegalArgumentException("labelledPerBatch must be >= 0, got " + labelledPerBatch);
    }
  }

  private static void checkIds(String what, int[] ids, int nClasses) {
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] < 0 || ids[i] >= nClasses) {
        throw new IllegalArgumentException(what + "[" + i + "] = " + ids[i] + " is outside [0, " + nClasses + ")");
      }
    }
  }

  /** Whole windows of the input sequence. */
  @Override
  public int size() {
    return inputs.length / nIn / window;
  }

  @Override
  public Batch batch(int from, int n) {
    int windows = size();
    if (windows == 0) {
      throw new IllegalStateException("the shard holds no whole window of " + window + " inputs");
    }
    int labelWindows = realLabels.length / window;
    int labelled = Math.min(labelledPerBatch, labelledClasses.length);
    int rows = n * window + labelled;
    float[] x = new float[rows * nIn];
    float[] y = new float[rows];
    float[] mask = new float[rows];
    for (int i = 0; i < n; i++) {
      int in = Math.floorMod(from + i, windows) * window;
      int lab = Math.floorMod(from + i, labelWindows) * window;
      System.arraycopy(inputs, in * nIn, x, i * window * nIn, window * nIn);
      for (int t = 0; t < window; t++) {
        y[i * window + t] = realLabels[lab + t];
      }
    }
    for (int j = 0; j < labelled; j++) {
      int e = Math.floorMod((long) from * labelled + j, labelledClasses.length);
      int r = n * window + j;
      System.arraycopy(labelledFeatures, e * nIn, x, r * nIn, nIn);
      y[r] = labelledClasses[e];
      mask[r] = 1;
    }
    INDArray fx = Nd4j.create(x, new long[] {rows, nIn}, 'c');
    return new Batch(fx, Nd4j.create(y, new long[] {rows, 1}, 'c'), null, Nd4j.create(mask, new long[] {rows, 1}, 'c'));
  }

  /** Labelled rows only (e.g. a test set) as a batch {@link OdmModel#evaluate} scores by error. */
  public static Batch labelledBatch(float[] features, int[] classes, int nIn) {
    int rows = classes.length;
    float[] y = new float[rows];
    float[] mask = new float[rows];
    for (int i = 0; i < rows; i++) {
      y[i] = classes[i];
      mask[i] = 1;
    }
    return new Batch(Nd4j.create(features, new long[] {rows, nIn}, 'c'), Nd4j.create(y, new long[] {rows, 1}, 'c'),
        null, Nd4j.create(mask, new long[] {rows, 1}, 'c'));
  }
}
