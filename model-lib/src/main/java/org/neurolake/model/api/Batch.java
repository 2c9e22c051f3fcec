package org.neurolake.model.api;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A minibatch: features and labels with their first dimension the examples, and optional masks
 * for variable-length sequences.
 */
public record Batch(INDArray features, INDArray labels, INDArray featuresMask, INDArray labelsMask) {
  public Batch {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    if (features.size(0) != labels.size(0)) {
      throw new IllegalArgumentException("features hold " + features.size(0) + " examples, labels " + labels.size(0));
    }
  }

  public Batch(INDArray features, INDArray labels) {
    this(features, labels, null, null);
  }

  public int size() {
    return (int) features.size(0);
  }
}
