package org.neurolake.model.api;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A minibatch: features and labels with their first dimension the examples, optional masks for
 * variable-length sequences, and, for recurrent models trained with truncated backpropagation
 * through time, which rows continue the sequence of the same row of the previous batch.
 *
 * @param continues null, or one flag per row: {@code true} if row i continues the stream of row i
 *     of the previous batch given to the same model, whose recurrent state it should then carry
 *     over; {@code false} starts that row from the model's initial state. Models without state
 *     ignore it.
 */
public record Batch(INDArray features, INDArray labels, INDArray featuresMask, INDArray labelsMask, boolean[] continues) {
  public Batch {
    Objects.requireNonNull(features, "features");
    Objects.requireNonNull(labels, "labels");
    if (features.size(0) != labels.size(0)) {
      throw new IllegalArgumentException("features hold " + features.size(0) + " examples, labels " + labels.size(0));
    }
    if (continues != null && continues.length != features.size(0)) {
      throw new IllegalArgumentException("continues has " + continues.length + " flags for " + features.size(0) + " rows");
    }
  }

  public Batch(INDArray features, INDArray labels, INDArray featuresMask, INDArray labelsMask) {
    this(features, labels, featuresMask, labelsMask, null);
  }

  public Batch(INDArray features, INDArray labels) {
    this(features, labels, null, null, null);
  }

  public int size() {
    return (int) features.size(0);
  }
}
