package org.neurolake.model.dl4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.deeplearning4j.nn.api.OptimizationAlgorithm;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
import org.deeplearning4j.nn.conf.layers.CnnLossLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.RnnLossLayer;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import org.deeplearning4j.nn.conf.layers.samediff.SameDiffOutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * A DL4J network configuration parsed from its JSON and checked for what the engine needs: 32-bit
 * float parameters (the engine moves floats), standard backpropagation and stochastic gradient
 * descent (so that one {@code fit} is one optimizer step), one input, and an output layer with a
 * loss as its one output.
 *
 * <p>DL4J's configuration objects are mutable: each instance holds its own freshly parsed copy and
 * belongs to its caller. It is not shared and not thread-safe.
 */
sealed interface Dl4jConfiguration permits Dl4jConfiguration.MultiLayer, Dl4jConfiguration.Graph {

  /**
   * Parses and checks {@code json} as a configuration of {@code type}.
   *
   * @throws IllegalArgumentException if the JSON is not a DL4J configuration, is one of the other
   *     type, or is one the engine cannot train; the message says which and why
   */
  static Dl4jConfiguration parse(Dl4jNetworkType type, String json) {
    java.util.Objects.requireNonNull(type, "network type");
    if (json == null || json.isBlank()) {
      throw new IllegalArgumentException("no DL4J network configuration given (empty JSON)");
    }
    Dl4jNetworkType found = Dl4jNetworkType.detect(json);
    if (found != type) {
      throw new IllegalArgumentException("the configuration is the JSON of a " + found.dl4jClass() + ", not of a "
          + type.dl4jClass());
    }
    Dl4jConfiguration c;
    try {
      c = switch (type) {
        case MULTI_LAYER -> new MultiLayer(MultiLayerConfiguration.fromJson(json));
        case COMPUTATION_GRAPH -> new Graph(ComputationGraphConfiguration.fromJson(json));
      };
    } catch (RuntimeException e) {
      // DL4J wraps Jackson's errors in a RuntimeException whose message starts with its own class name.
      throw new IllegalArgumentException("not a DL4J " + type.dl4jClass() + ": " + rootMessage(e), e);
    }
    c.check();
    return c;
  }

  Dl4jNetworkType type();

  /** Fails with an IllegalArgumentException naming the first thing the engine cannot train. */
  void check();

  /**
   * Sets every seed of the configuration to {@code seed} and its training counters (iteration,
   * epoch) to 0: the form a spec stores, so that a configuration saved from a trained network and
   * the same one saved fresh are one spec, and the spec's seed is the one that initializes it.
   */
  Dl4jConfiguration normalize(long seed);

  /** DL4J's own JSON of this configuration ({@code toJson()}), deterministic for a given configuration. */
  String toJson();

  /** The length of the network's flattened parameter vector, from the configuration alone. */
  long parameterCount();

  /**
   * The width of the flat feature vectors the network reads: the {@code nIn} of the feed-forward
   * layers that read the network's input; empty if the input is read otherwise (a preprocessor,
   * a convolution, a vertex that is not a layer).
   */
  OptionalLong inputWidth();

  /** The output layer's {@code nOut}; empty if it has none (a loss layer without nOut). */
  OptionalLong outputWidth();

  /** A new network of this configuration, initialized (its parameters from the configuration's seed). */
  Dl4jNetworkModel newModel(Dl4jNetworkSpec spec);

  /** A stack of layers: DL4J's MultiLayerConfiguration. */
  final class MultiLayer implements Dl4jConfiguration {
    private final MultiLayerConfiguration conf;

    MultiLayer(MultiLayerConfiguration conf) {
      this.conf = conf;
    }

    @Override
    public Dl4jNetworkType type() {
      return Dl4jNetworkType.MULTI_LAYER;
    }

    @Override
    public void check() {
      if (conf.getConfs() == null || conf.getConfs().isEmpty()) {
        throw new IllegalArgumentException("the MultiLayerConfiguration has no layers");
      }
      checkTraining(conf.getDataType(), conf.getBackpropType(), conf.getConfs());
      Layer last = conf.getConf(conf.getConfs().size() - 1).getLayer();
      if (!isOutputLayer(last)) {
        throw new IllegalArgumentException("the last layer (" + describe(last) + ") is not an output layer with a"
            + " loss (e.g. OutputLayer, LossLayer)");
      }
    }

    @Override
    public MultiLayer normalize(long seed) {
      for (NeuralNetConfiguration c : conf.getConfs()) {
        resetCounters(c, seed);
      }
      conf.setIterationCount(0);
      conf.setEpochCount(0);
      return this;
    }

    @Override
    public String toJson() {
      return conf.toJson();
    }

    @Override
    public long parameterCount() {
      long n = 0;
      for (NeuralNetConfiguration c : conf.getConfs()) {
        n += c.getLayer().initializer().numParams(c);
      }
      return n;
    }

    @Override
    public OptionalLong inputWidth() {
      if (conf.getInputPreProcess(0) != null) {
        return OptionalLong.empty();
      }
      return flatInput(conf.getConf(0).getLayer());
    }

    @Override
    public OptionalLong outputWidth() {
      return outputOf(conf.getConf(conf.getConfs().size() - 1).getLayer());
    }

    @Override
    public Dl4jNetworkModel newModel(Dl4jNetworkSpec spec) {
      return Dl4jNetworkModel.ofMultiLayer(spec, conf);
    }
  }

  /** A graph of vertices with one input and one output: DL4J's ComputationGraphConfiguration. */
  final class Graph implements Dl4jConfiguration {
    private final ComputationGraphConfiguration conf;

    Graph(ComputationGraphConfiguration conf) {
      this.conf = conf;
    }

    @Override
    public Dl4jNetworkType type() {
      return Dl4jNetworkType.COMPUTATION_GRAPH;
    }

    @Override
    public void check() {
      if (conf.getVertices() == null || conf.getVertices().isEmpty() || conf.getNetworkInputs() == null
          || conf.getNetworkOutputs() == null) {
        throw new IllegalArgumentException("the ComputationGraphConfiguration has no vertices, inputs or outputs");
      }
      if (conf.getNetworkInputs().size() != 1 || conf.getNetworkOutputs().size() != 1) {
        throw new IllegalArgumentException("the graph has inputs " + conf.getNetworkInputs() + " and outputs "
            + conf.getNetworkOutputs() + "; a graph trained here has exactly one of each");
      }
      try {
        conf.validate(); // DL4J's own check: every vertex's inputs exist, every vertex leads to an output
      } catch (IllegalStateException e) {
        throw new IllegalArgumentException("an invalid ComputationGraphConfiguration: " + e.getMessage(), e);
      }
      List<NeuralNetConfiguration> layers = new ArrayList<>();
      layers.add(conf.getDefaultConfiguration());
      for (GraphVertex v : conf.getVertices().values()) {
        if (v instanceof LayerVertex lv) {
          layers.add(lv.getLayerConf());
        }
      }
      checkTraining(conf.getDataType(), conf.getBackpropType(), layers);
      String out = conf.getNetworkOutputs().get(0);
      if (!(conf.getVertices().get(out) instanceof LayerVertex lv) || !isOutputLayer(lv.getLayerConf().getLayer())) {
        throw new IllegalArgumentException("the graph's output '" + out + "' is not an output layer with a loss"
            + " (e.g. OutputLayer, LossLayer)");
      }
    }

    @Override
    public Graph normalize(long seed) {
      resetCounters(conf.getDefaultConfiguration(), seed);
      for (GraphVertex v : conf.getVertices().values()) {
        if (v instanceof LayerVertex lv) {
          resetCounters(lv.getLayerConf(), seed);
        }
      }
      conf.setIterationCount(0);
      conf.setEpochCount(0);
      return this;
    }

    @Override
    public String toJson() {
      return conf.toJson();
    }

    @Override
    public long parameterCount() {
      long n = 0;
      for (GraphVertex v : conf.getVertices().values()) {
        n += v.numParams(true);
      }
      return n;
    }

    @Override
    public OptionalLong inputWidth() {
      String in = conf.getNetworkInputs().get(0);
      OptionalLong width = OptionalLong.empty();
      for (Map.Entry<String, List<String>> e : conf.getVertexInputs().entrySet()) {
        if (!e.getValue().contains(in)) {
          continue;
        }
        OptionalLong w = conf.getVertices().get(e.getKey()) instanceof LayerVertex lv && lv.getPreProcessor() == null
            ? flatInput(lv.getLayerConf().getLayer()) : OptionalLong.empty();
        if (w.isEmpty() || width.isPresent() && width.getAsLong() != w.getAsLong()) {
          return OptionalLong.empty();
        }
        width = w;
      }
      return width;
    }

    @Override
    public OptionalLong outputWidth() {
      LayerVertex out = (LayerVertex) conf.getVertices().get(conf.getNetworkOutputs().get(0));
      return outputOf(out.getLayerConf().getLayer());
    }

    @Override
    public Dl4jNetworkModel newModel(Dl4jNetworkSpec spec) {
      ComputationGraph graph = new ComputationGraph(conf);
      graph.init();
      return new Dl4jNetworkModel.OfGraph(spec, graph);
    }
  }

  private static void checkTraining(DataType dataType, BackpropType backprop, List<NeuralNetConfiguration> layers) {
    if (dataType != DataType.FLOAT) {
      throw new IllegalArgumentException("the network's data type is " + dataType + "; the engine moves parameters"
          + " as 32-bit floats, so build it with .dataType(DataType.FLOAT)");
    }
    if (backprop != BackpropType.Standard) {
      throw new IllegalArgumentException("backpropagation type " + backprop + " takes several updates per batch;"
          + " only Standard is trained here (one fit, one optimizer step)");
    }
    for (NeuralNetConfiguration c : layers) {
      if (c.getOptimizationAlgo() != OptimizationAlgorithm.STOCHASTIC_GRADIENT_DESCENT) {
        throw new IllegalArgumentException("optimization algorithm " + c.getOptimizationAlgo() + " (layer "
            + describe(c.getLayer()) + ") searches along lines within a fit; only STOCHASTIC_GRADIENT_DESCENT is"
            + " trained here (the updater, e.g. Adam, is free)");
      }
    }
  }

  private static void resetCounters(NeuralNetConfiguration c, long seed) {
    c.setSeed(seed);
    c.setIterationCount(0);
    c.setEpochCount(0);
  }

  private static boolean isOutputLayer(Layer l) {
    return l instanceof BaseOutputLayer || l instanceof LossLayer || l instanceof RnnLossLayer
        || l instanceof CnnLossLayer || l instanceof Cnn3DLossLayer || l instanceof Yolo2OutputLayer
        || l instanceof SameDiffOutputLayer;
  }

  /** The nIn of a layer that reads flat feature vectors, or empty. */
  private static OptionalLong flatInput(Layer layer) {
    if (!(layer instanceof FeedForwardLayer ff) || ff.getNIn() < 1) {
      return OptionalLong.empty();
    }
    try {
      layer.getOutputType(0, InputType.feedForward(ff.getNIn()));
    } catch (RuntimeException notFlat) {
      // DL4J's own answer to "does this layer take flat vectors?": a convolution refuses them (its
      // nIn counts channels, not features), so its nIn is no feature width.
      return OptionalLong.empty();
    }
    return OptionalLong.of(ff.getNIn());
  }

  private static OptionalLong outputOf(Layer layer) {
    return layer instanceof FeedForwardLayer ff && ff.getNOut() > 0 ? OptionalLong.of(ff.getNOut())
        : OptionalLong.empty();
  }

  private static String describe(Layer l) {
    return l == null ? "none" : (l.getLayerName() == null ? "" : "'" + l.getLayerName() + "', ")
        + l.getClass().getSimpleName();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    int source = m.indexOf("\n at [Source");
    return source > 0 ? m.substring(0, source) : m;
  }
}
