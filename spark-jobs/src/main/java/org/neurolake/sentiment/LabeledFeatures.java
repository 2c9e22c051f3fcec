package org.neurolake.sentiment;

import java.util.stream.IntStream;

/**
 * One split's labeled examples on the driver: a feature vector (a document's final cell state) and
 * a binary label (0 = negative, 1 = positive) each, in a fixed order.
 *
 * <p>The outer arrays are copied; the vectors themselves are shared, not copied (a split of
 * 4096-wide states is tens of megabytes and subsets reuse them), and nothing here writes to them.
 */
public record LabeledFeatures(float[][] vectors, int[] labels) implements ProbeExamples {
  public LabeledFeatures {
    if (vectors.length != labels.length || vectors.length == 0) {
      throw new IllegalArgumentException("need as many (> 0) feature vectors as labels, got " + vectors.length
          + " and " + labels.length);
    }
    for (int i = 0; i < vectors.length; i++) {
      if (vectors[i].length != vectors[0].length) {
        throw new IllegalArgumentException("example " + i + " has " + vectors[i].length + " features, example 0 has "
            + vectors[0].length);
      }
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("example " + i + " has label " + labels[i] + "; the probe is binary"
            + " (0 = negative, 1 = positive)");
      }
    }
    vectors = vectors.clone();
    labels = labels.clone();
  }

  @Override
  public float[][] vectors() {
    return vectors.clone();
  }

  @Override
  public int[] labels() {
    return labels.clone();
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public int features() {
    return vectors[0].length;
  }

  @Override
  public long storedValues() {
    return (long) size() * features();
  }

  /** The exact zeros left out, as LIBLINEAR's sparse rows always did. */
  @Override
  public void nonZeros(int i, NonZero to) {
    float[] x = vectors[i];
    for (int j = 0; j < x.length; j++) {
      if (x[j] != 0) {
        to.accept(j, x[j]);
      }
    }
  }

  /** The examples at {@code indices}, in that order. */
  @Override
  public LabeledFeatures subset(int[] indices) {
    float[][] x = new float[indices.length][];
    int[] y = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      x[k] = vectors[indices[k]];
      y[k] = labels[indices[k]];
    }
    return new LabeledFeatures(x, y);
  }

  /** The examples of {@code parts}, in order (vectors shared, not copied). */
  public static LabeledFeatures concat(java.util.List<LabeledFeatures> parts) {
    int n = parts.stream().mapToInt(LabeledFeatures::size).sum();
    float[][] x = new float[n][];
    int[] y = new int[n];
    int at = 0;
    for (LabeledFeatures p : parts) {
      System.arraycopy(p.vectors, 0, x, at, p.size());
      System.arraycopy(p.labels, 0, y, at, p.size());
      at += p.size();
    }
    return new LabeledFeatures(x, y);
  }

  /** Feature {@code unit} of every example. */
  public double[] unit(int unit) {
    return IntStream.range(0, size()).mapToDouble(i -> vectors[i][unit]).toArray();
  }

  /** Feature {@code unit} of the examples labeled {@code label}. */
  public double[] unit(int unit, int label) {
    return IntStream.range(0, size()).filter(i -> labels[i] == label).mapToDouble(i -> vectors[i][unit]).toArray();
  }

  @Override
  public double accuracy(LinearProbe probe) {
    return probe.accuracy(vectors, labels);
  }

  /** Accuracy of {@code classifier} on feature {@code unit} alone. */
  public double accuracy(ThresholdClassifier classifier, int unit) {
    return classifier.accuracy(unit(unit), labels);
  }
}
