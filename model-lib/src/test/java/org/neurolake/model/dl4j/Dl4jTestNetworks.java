package org.neurolake.model.dl4j;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neurolake.model.mlp.DenseShard;

/** Small DL4J configurations and a separable data set for the tests of this package. */
final class Dl4jTestNetworks {
  private Dl4jTestNetworks() {}

  /**
   * input -> dense stem -> (the stem itself, and dense -> dense) added by an ElementWiseVertex -> softmax:
   * a residual block, not a plain stack.
   */
  static ComputationGraphConfiguration residual(int nIn, int hidden, int nOut, IUpdater updater, long seed) {
    return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
        .updater(updater).graphBuilder()
        .addInputs("features")
        .addLayer("stem", dense(nIn, hidden, Activation.RELU), "features")
        .addLayer("branch1", dense(hidden, hidden, Activation.RELU), "stem")
        .addLayer("branch2", dense(hidden, hidden, Activation.IDENTITY), "branch1")
        .addVertex("residual", new ElementWiseVertex(ElementWiseVertex.Op.Add), "stem", "branch2")
        .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(nOut)
            .activation(Activation.SOFTMAX).build(), "residual")
        .setOutputs("output")
        .build();
  }

  /** input -> dense -> softmax. */
  static MultiLayerConfiguration stack(int nIn, int hidden, int nOut, IUpdater updater, long seed) {
    return new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
        .updater(updater).list()
        .layer(dense(nIn, hidden, Activation.RELU))
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(nOut)
            .activation(Activation.SOFTMAX).build())
        .build();
  }

  private static DenseLayer dense(int nIn, int nOut, Activation a) {
    return new DenseLayer.Builder().nIn(nIn).nOut(nOut).activation(a).build();
  }

  /** Three Gaussian blobs in 8 dimensions, well separated. */
  static DenseShard blobs(int n, long seed) {
    return org.neurolake.model.mlp.Blobs.of(n, seed);
  }
}
