package org.neurolake.model.mlp;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ExampleShard;

/** Classification examples packed row-major: features n x nFeatures, integer labels in [0, nClasses). */
public record DenseShard(float[] features, int[] labels, int nFeatures, int nClasses) implements ExampleShard {
  public DenseShard {
    if (nFeatures < 1 || nClasses < 2 || features.length != (long) labels.length * nFeatures) {
      throw new IllegalArgumentException("features hold " + features.length + " values for " + labels.length
          + " examples of " + nFeatures + " features");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= nClasses) {
        throw new IllegalArgumentException("example " + i + " has label " + labels[i] + " outside [0, " + nClasses + ")");
      }
    }
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public Batch batch(int from, int n) {
    if (labels.length == 0) {
      throw new IllegalStateException("empty shard");
    }
    float[] x = new float[n * nFeatures];
    float[] y = new float[n * nClasses];
    for (int i = 0; i < n; i++) {
      int e = Math.floorMod(from + i, labels.length);
      System.arraycopy(features, e * nFeatures, x, i * nFeatures, nFeatures);
      y[i * nClasses + labels[e]] = 1f;
    }
    INDArray fx = Nd4j.create(x, new long[] {n, nFeatures}, 'c');
    INDArray fy = Nd4j.create(y, new long[] {n, nClasses}, 'c');
    return new Batch(fx, fy);
  }

  @Override
  public String toString() {
    return "DenseShard[" + labels.length + " x " + nFeatures + ", " + nClasses + " classes, labels "
        + Arrays.toString(Arrays.copyOf(labels, Math.min(5, labels.length))) + "...]";
  }
}
