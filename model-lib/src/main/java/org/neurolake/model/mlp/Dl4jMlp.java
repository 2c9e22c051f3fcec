package org.neurolake.model.mlp;

import java.util.Map;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;

/** {@link MlpSpec} as a DL4J MultiLayerNetwork. Optimizer state is Adam's m and v, flattened by DL4J. */
public final class Dl4jMlp implements TrainableModel {
  private final MlpSpec spec;
  private final MultiLayerNetwork net;

  public Dl4jMlp(MlpSpec spec) {
    this.spec = spec;
    this.net = new MultiLayerNetwork(configuration(spec));
    net.init();
  }

  /** The DL4J configuration of a spec; DL4J's own Spark trainer uses the very same. */
  public static MultiLayerConfiguration configuration(MlpSpec spec) {
    NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
        .seed(spec.seed())
        .dataType(DataType.FLOAT)
        .weightInit(WeightInit.RELU)
        .updater(new Adam(spec.learningRate(), spec.beta1(), spec.beta2(), spec.epsilon()));
    if (spec.l2() > 0) {
      b.l2(spec.l2());
    }
    if (spec.gradientClip() > 0) {
      b.gradientNormalization(GradientNormalization.ClipL2PerLayer).gradientNormalizationThreshold(spec.gradientClip());
    }
    NeuralNetConfiguration.ListBuilder list = b.list();
    int in = spec.nIn();
    int i = 0;
    for (int h : spec.hidden()) {
      list.layer(i++, new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU).build());
      in = h;
    }
    list.layer(i, new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(in).nOut(spec.nOut())
        .activation(Activation.SOFTMAX).build());
    return list.build();
  }

  public MultiLayerNetwork network() {
    return net;
  }

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public long parameterCount() {
    return net.numParams();
  }

  @Override
  public float[] parameters() {
    return net.params().toFloatVector();
  }

  @Override
  public void setParameters(float[] parameters) {
    if (parameters.length != net.numParams()) {
      throw new IllegalArgumentException("expected " + net.numParams() + " parameters, got " + parameters.length);
    }
    net.params().assign(Nd4j.createFromArray(parameters));
  }

  @Override
  public float[] optimizerState() {
    INDArray s = net.getUpdater().getStateViewArray();
    return s == null ? new float[0] : s.toFloatVector();
  }

  @Override
  public void setOptimizerState(float[] state) {
    INDArray s = net.getUpdater().getStateViewArray();
    long expected = s == null ? 0 : s.length();
    if (state.length != expected) {
      throw new IllegalArgumentException("expected " + expected + " optimizer state values, got " + state.length);
    }
    if (s != null) {
      s.assign(Nd4j.createFromArray(state));
    }
  }

  @Override
  public void setLearningRate(double learningRate) {
    net.setLearningRate(learningRate);
  }

  @Override
  public long step() {
    return net.getIterationCount();
  }

  @Override
  public void setStep(long step) {
    if (step < 0 || step > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("step out of range: " + step);
    }
    net.setIterationCount((int) step);
  }

  @Override
  public double fit(Batch batch) {
    net.fit(new DataSet(batch.features(), batch.labels()));
    return net.score();
  }

  @Override
  public Map<String, Double> evaluate(Batch batch) {
    DataSet ds = new DataSet(batch.features(), batch.labels());
    double loss = net.score(ds, false);
    INDArray predicted = net.output(batch.features(), false).argMax(1);
    INDArray actual = batch.labels().argMax(1);
    double accuracy = predicted.eq(actual).castTo(DataType.DOUBLE).meanNumber().doubleValue();
    return Map.of("loss", loss, "accuracy", accuracy);
  }
}
