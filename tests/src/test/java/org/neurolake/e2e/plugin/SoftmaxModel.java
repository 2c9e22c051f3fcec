package org.neurolake.e2e.plugin;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.TrainableModel;

/**
 * Softmax regression through ND4J ops: parameters W (nIn x nOut, row-major) then b (nOut); SGD with
 * momentum, the velocity being the optimizer state.
 */
public final class SoftmaxModel implements TrainableModel {
  private final SoftmaxSpec spec;
  private final float[] params;
  private final float[] velocity;
  private double learningRate;
  private long step;

  SoftmaxModel(SoftmaxSpec spec) {
    this.spec = spec;
    this.params = new float[(int) spec.parameterCount()];
    this.velocity = new float[params.length];
    this.learningRate = spec.learningRate();
    SplittableRandom r = new SplittableRandom(spec.seed());
    for (int i = 0; i < spec.nIn() * spec.nOut(); i++) {
      params[i] = (float) (r.nextGaussian() * 0.01);
    }
  }

  @Override
  public SoftmaxSpec spec() {
    return spec;
  }

  @Override
  public long parameterCount() {
    return params.length;
  }

  @Override
  public float[] parameters() {
    return params.clone();
  }

  @Override
  public void setParameters(float[] p) {
    System.arraycopy(p, 0, params, 0, params.length);
  }

  @Override
  public float[] optimizerState() {
    return velocity.clone();
  }

  @Override
  public void setOptimizerState(float[] state) {
    System.arraycopy(state, 0, velocity, 0, velocity.length);
  }

  @Override
  public void setLearningRate(double lr) {
    learningRate = lr;
  }

  @Override
  public long step() {
    return step;
  }

  @Override
  public void setStep(long s) {
    step = s;
  }

  private INDArray weights() {
    return Nd4j.create(java.util.Arrays.copyOf(params, spec.nIn() * spec.nOut()), new long[] {spec.nIn(), spec.nOut()},
        'c');
  }

  private INDArray bias() {
    return Nd4j.create(java.util.Arrays.copyOfRange(params, spec.nIn() * spec.nOut(), params.length),
        new long[] {1, spec.nOut()}, 'c');
  }

  private INDArray probabilities(INDArray x) {
    return Transforms.softmax(x.mmul(weights()).addRowVector(bias()));
  }

  private static double loss(INDArray p, INDArray y) {
    return -Transforms.log(p.add(1e-12)).mul(y).sumNumber().doubleValue() / p.rows();
  }

  @Override
  public double fit(Batch batch) {
    INDArray x = batch.features();
    INDArray y = batch.labels();
    INDArray p = probabilities(x);
    double loss = loss(p, y);
    INDArray d = p.sub(y).divi(x.rows());
    float[] gw = x.transpose().mmul(d).dup('c').data().asFloat();
    float[] gb = d.sum(0).data().asFloat();
    float mu = (float) spec.momentum();
    float lr = (float) learningRate;
    for (int i = 0; i < params.length; i++) {
      float g = i < gw.length ? gw[i] : gb[i - gw.length];
      velocity[i] = mu * velocity[i] + g;
      params[i] -= lr * velocity[i];
    }
    step++;
    return loss;
  }

  @Override
  public Map<String, Double> evaluate(Batch batch) {
    INDArray p = probabilities(batch.features());
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("loss", loss(p, batch.labels()));
    m.put("accuracy", p.argMax(1).eq(batch.labels().argMax(1)).castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)
        .meanNumber().doubleValue());
    return m;
  }
}
