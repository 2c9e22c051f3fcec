package org.neurolake.model.mlp;

import java.util.List;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.dl4j.Dl4jNetworkModel;

/**
 * A multilayer perceptron classifier: ReLU hidden layers, softmax output, cross-entropy loss,
 * Adam. Built on Deeplearning4j's MultiLayerNetwork ({@link #dl4jConfiguration()}, trained as a
 * {@link Dl4jNetworkModel}), so the same network can also be trained by
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
  public Dl4jNetworkModel.OfMultiLayer build() {
    return Dl4jNetworkModel.ofMultiLayer(this, dl4jConfiguration());
  }

  /** The network as a DL4J configuration; DL4J's own Spark trainer (the baseline) uses the very same. */
  public MultiLayerConfiguration dl4jConfiguration() {
    NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
        .seed(seed)
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.RELU)
        .updater(new Adam(learningRate, beta1, beta2, epsilon));
    if (l2 > 0) {
      b.l2(l2);
    }
    if (gradientClip > 0) {
      b.gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(gradientClip);
    }
    NeuralNetConfiguration.ListBuilder list = b.list();
    int in = nIn;
    int i = 0;
    for (int h : hidden) {
      list.layer(i++, new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU).build());
      in = h;
    }
    list.layer(i, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(nOut)
        .activation(Activation.SOFTMAX).build());
    return list.build();
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
