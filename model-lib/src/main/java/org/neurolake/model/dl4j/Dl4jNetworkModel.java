package org.neurolake.model.dl4j;

import java.util.LinkedHashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.FloatVectors;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;

/**
 * A DL4J network (a {@link MultiLayerNetwork} or a single-input, single-output {@link ComputationGraph})
 * as the engine trains it: the network of a {@link Dl4jNetworkSpec}, or of any spec that describes
 * itself as a DL4J configuration ({@link #ofMultiLayer}, e.g. the MLP's), with {@link TrainableModel}'s
 * guarantees:
 * <ul>
 *   <li>parameters: DL4J's flattened parameter view ({@code params()}), in DL4J's order;</li>
 *   <li>optimizer state: the updater's flattened state view ({@code getUpdater().getStateViewArray()}),
 *       e.g. Adam's m and v of every parameter block; empty for a stateless updater (plain SGD). DL4J's
 *       own Spark trainer averages this same array ({@code saveUpdater});</li>
 *   <li>step: the configuration's iteration count, which DL4J's updaters read (Adam's bias
 *       correction, schedules);</li>
 *   <li>learning rate: {@link #setLearningRate} gives every layer's updater (and bias updater) that
 *       one rate, replacing the rates and rate schedules of the JSON: the engine's learning-rate
 *       option and schedule decide;</li>
 *   <li>{@link #fit}: one DL4J {@code fit} on the batch (features, labels, masks), which with the
 *       standard backpropagation and SGD a spec requires is one optimizer step; returns DL4J's score
 *       from that fit's forward pass, i.e. before the step (the mean loss plus regularization);</li>
 *   <li>{@link #evaluate}: {@code loss} (DL4J's score in inference mode) and, for labels of rank 2
 *       without masks, {@code accuracy}: the fraction of examples whose largest output is where their
 *       label is largest (classification accuracy for one-hot labels).</li>
 * </ul>
 */
public abstract sealed class Dl4jNetworkModel implements TrainableModel
    permits Dl4jNetworkModel.OfMultiLayer, Dl4jNetworkModel.OfGraph {
  private final ModelSpec spec;

  private Dl4jNetworkModel(ModelSpec spec) {
    this.spec = spec;
  }

  /** A new, initialized network of {@code conf}, trained as the model of {@code spec}. */
  public static OfMultiLayer ofMultiLayer(ModelSpec spec, MultiLayerConfiguration conf) {
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return new OfMultiLayer(spec, net);
  }

  /** DL4J's flattened parameters (a view: writing it changes the network). */
  abstract INDArray parameterView();

  /** The updater's flattened state (a view), or null when the updater keeps none. */
  abstract INDArray stateView();

  abstract void fit(DataSet batch);

  /** The score of the last fit, computed before its update. */
  abstract double lastScore();

  abstract double score(DataSet batch);

  abstract INDArray output(INDArray features);

  @Override
  public ModelSpec spec() {
    return spec;
  }

  @Override
  public long parameterCount() {
    return parameterView().length();
  }

  @Override
  public float[] parameters() {
    return FloatVectors.toArray(parameterView());
  }

  @Override
  public java.nio.FloatBuffer parameterBuffer() {
    return FloatVectors.readOnlyView(parameterView());
  }

  @Override
  public void setParameters(float[] parameters) {
    INDArray p = parameterView();
    if (parameters.length != p.length()) {
      throw new IllegalArgumentException("expected " + p.length() + " parameters, got " + parameters.length);
    }
    FloatVectors.copyInto(parameters, p);
  }

  @Override
  public float[] optimizerState() {
    INDArray s = stateView();
    return s == null ? new float[0] : FloatVectors.toArray(s);
  }

  @Override
  public void setOptimizerState(float[] state) {
    INDArray s = stateView();
    long expected = s == null ? 0 : s.length();
    if (state.length != expected) {
      throw new IllegalArgumentException("expected " + expected + " optimizer state values, got " + state.length);
    }
    if (s != null) {
      FloatVectors.copyInto(state, s);
    }
  }

  static int iteration(long step) {
    if (step < 0 || step > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("step out of range: " + step);
    }
    return (int) step;
  }

  @Override
  public double fit(Batch batch) {
    fit(dataSet(batch));
    return lastScore();
  }

  @Override
  public Map<String, Double> evaluate(Batch batch) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("loss", score(dataSet(batch)));
    if (batch.labels().rank() == 2 && batch.featuresMask() == null && batch.labelsMask() == null) {
      INDArray predicted = output(batch.features()).argMax(1);
      INDArray actual = batch.labels().argMax(1);
      out.put("accuracy", predicted.eq(actual).castTo(DataType.DOUBLE).meanNumber().doubleValue());
    }
    return Map.copyOf(out);
  }

  private static DataSet dataSet(Batch b) {
    return new DataSet(b.features(), b.labels(), b.featuresMask(), b.labelsMask());
  }

  /** A stack of layers. */
  public static final class OfMultiLayer extends Dl4jNetworkModel {
    private final MultiLayerNetwork net;

    OfMultiLayer(ModelSpec spec, MultiLayerNetwork net) {
      super(spec);
      this.net = net;
    }

    /** The network itself (for DL4J's own tools; changing it changes this model). */
    public MultiLayerNetwork network() {
      return net;
    }

    @Override
    INDArray parameterView() {
      return net.params();
    }

    @Override
    INDArray stateView() {
      return net.getUpdater().getStateViewArray();
    }

    @Override
    void fit(DataSet batch) {
      net.fit(batch);
    }

    @Override
    double lastScore() {
      return net.score();
    }

    @Override
    double score(DataSet batch) {
      return net.score(batch, false);
    }

    @Override
    INDArray output(INDArray features) {
      return net.output(features, false);
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
      net.setIterationCount(iteration(step));
    }
  }

  /** A graph of vertices with one input and one output. */
  public static final class OfGraph extends Dl4jNetworkModel {
    private final ComputationGraph graph;

    OfGraph(ModelSpec spec, ComputationGraph graph) {
      super(spec);
      this.graph = graph;
    }

    /** The graph itself (for DL4J's own tools; changing it changes this model). */
    public ComputationGraph graph() {
      return graph;
    }

    @Override
    INDArray parameterView() {
      return graph.params();
    }

    @Override
    INDArray stateView() {
      return graph.getUpdater().getStateViewArray();
    }

    @Override
    void fit(DataSet batch) {
      graph.fit(batch);
    }

    @Override
    double lastScore() {
      return graph.score();
    }

    @Override
    double score(DataSet batch) {
      return graph.score(batch, false);
    }

    @Override
    INDArray output(INDArray features) {
      return graph.outputSingle(false, features);
    }

    @Override
    public void setLearningRate(double learningRate) {
      graph.setLearningRate(learningRate);
    }

    @Override
    public long step() {
      return graph.getIterationCount();
    }

    @Override
    public void setStep(long step) {
      // ComputationGraph has no setter of its own: its iteration count lives in its configuration.
      graph.getConfiguration().setIterationCount(iteration(step));
    }
  }
}
