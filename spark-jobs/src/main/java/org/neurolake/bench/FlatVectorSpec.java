package org.neurolake.bench;

import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.FloatVectors;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;

/**
 * A synthetic model for measuring the engine alone ({@code bin/bench engine-scale}): {@code size}
 * float parameters and a trivial step (the parameters scaled by {@code 1 - lr/1000}, on ND4J), no
 * optimizer state. Not a model family (it is never stored or trained by a job).
 */
public record FlatVectorSpec(long size) implements ModelSpec {
  public FlatVectorSpec {
    if (size < 1 || size > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a flat vector of 1 .. 2^31 - 9 parameters, not " + size);
    }
  }

  @Override
  public TrainableModel build() {
    return new Model(this);
  }

  @Override
  public long parameterCount() {
    return size;
  }

  private static final class Model implements TrainableModel {
    private final FlatVectorSpec spec;
    private INDArray parameters;
    private double learningRate = 1e-3;
    private long step;

    Model(FlatVectorSpec spec) {
      this.spec = spec;
      this.parameters = Nd4j.linspace(DataType.FLOAT, 0, 1.0 / spec.size(), spec.size());
    }

    @Override
    public ModelSpec spec() {
      return spec;
    }

    @Override
    public long parameterCount() {
      return spec.size();
    }

    @Override
    public float[] parameters() {
      return FloatVectors.toArray(parameters);
    }

    @Override
    public java.nio.FloatBuffer parameterBuffer() {
      return FloatVectors.readOnlyView(parameters); // the model's own buffer, as a real model's
    }

    @Override
    public void setParameters(float[] p) {
      if (p.length != spec.size()) {
        throw new IllegalArgumentException(p.length + " parameters for a flat vector of " + spec.size());
      }
      FloatVectors.copyInto(p, parameters); // into the model's buffer, as a real model's setParameters
    }

    @Override
    public float[] optimizerState() {
      return new float[0];
    }

    @Override
    public void setOptimizerState(float[] state) {
      if (state.length != 0) {
        throw new IllegalArgumentException("a flat vector has no optimizer state, got " + state.length + " values");
      }
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

    @Override
    public double fit(Batch batch) {
      parameters.muli(1 - learningRate / 1000);
      step++;
      return 1.0 / step;
    }

    @Override
    public Map<String, Double> evaluate(Batch batch) {
      return Map.of("loss", 1.0 / Math.max(1, step));
    }
  }
}
