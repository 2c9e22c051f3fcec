package org.neurolake.model.mlp;

import java.util.List;
import org.neurolake.model.api.ModelSpec;

/**
 * A multilayer perceptron classifier: ReLU hidden layers, softmax output, cross-entropy loss,
 * Adam. Built on Deeplearning4j's MultiLayerNetwork, so the same network can also be trained by
 * DL4J's own Spark trainer (the baseline the engine is compared against).
 */
public record MlpSpec(int nIn, List<Integer> hidden, int nOut, double learningRate, double beta1, double beta2,
    double epsilon, double l2, double gradientClip, long seed) implements ModelSpec {

  public MlpSpec {
    hidden = List.copyOf(hidden);
    if (nIn < 1 || nOut < 2 || hidden.stream().anyMatch(h -> h < 1)) {
      throw new IllegalArgumentException("nIn >= 1, nOut >= 2 and hidden sizes >= 1 required");
    }
    if (!(learningRate > 0) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)
        || l2 < 0 || gradientClip < 0) {
      throw new IllegalArgumentException("bad optimizer settings: lr=" + learningRate + " beta1=" + beta1
          + " beta2=" + beta2 + " eps=" + epsilon + " l2=" + l2 + " clip=" + gradientClip);
    }
  }

  /** Adam's defaults, no L2, no clipping. */
  public static MlpSpec of(int nIn, List<Integer> hidden, int nOut, double learningRate, long seed) {
    return new MlpSpec(nIn, hidden, nOut, learningRate, 0.9, 0.999, 1e-8, 0.0, 0.0, seed);
  }


  @Override
  public Dl4jMlp build() {
    return new Dl4jMlp(this);
  }

  @Override
  public long parameterCount() {
    long n = 0;
    int in = nIn;
    for (int h : hidden) {
      n += (long) in * h + h;
      in = h;
    }
    return n + (long) in * nOut + nOut;
  }
}
