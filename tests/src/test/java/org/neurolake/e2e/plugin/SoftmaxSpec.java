package org.neurolake.e2e.plugin;

import org.neurolake.model.api.ModelSpec;

/** A toy family's spec: softmax regression trained by SGD with momentum. Registered only through {@link SoftmaxSpecType}. */
public record SoftmaxSpec(int nIn, int nOut, double learningRate, double momentum, long seed) implements ModelSpec {
  public SoftmaxSpec {
    if (nIn < 1 || nOut < 2 || !(learningRate > 0) || !(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("bad softmax spec: nIn=" + nIn + " nOut=" + nOut + " lr=" + learningRate
          + " momentum=" + momentum);
    }
  }

  @Override
  public SoftmaxModel build() {
    return new SoftmaxModel(this);
  }

  @Override
  public long parameterCount() {
    return (long) nIn * nOut + nOut;
  }
}
