package org.neurolake.model.dl4j;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.IOException;
import java.util.OptionalLong;
import org.neurolake.model.api.ModelSpec;

/**
 * A network brought as DL4J's own configuration JSON, the output of
 * {@code MultiLayerConfiguration.toJson()} or {@code ComputationGraphConfiguration.toJson()}, trained
 * as a {@link org.deeplearning4j.nn.multilayer.MultiLayerNetwork} or a
 * {@link org.deeplearning4j.nn.graph.ComputationGraph} ({@link Dl4jNetworkModel}).
 *
 * <p>What is supported: any DL4J layers and vertices, with 32-bit float parameters, standard
 * backpropagation and stochastic gradient descent with any updater (one {@code fit}, one optimizer
 * step); a graph has exactly one input and one output, and the output is a layer with a loss. Other
 * configurations are refused when the spec is made, with the reason.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Immutable and validated: {@code configuration} is stored in DL4J's canonical form, re-written by
 *       DL4J from the parsed configuration with every seed set to {@link #seed} and the training
 *       counters (iteration, epoch) set to 0. Two specs of the same network and seed are equal however
 *       the JSON was formatted or whichever counters it carried.</li>
 *   <li>Its {@link org.neurolake.model.api.ModelSpecs} JSON holds the configuration itself, embedded as a
 *       JSON object, so checkpoints, resumed runs and inference do not depend on the file it came
 *       from; reading it back gives an equal spec.</li>
 *   <li>{@link #build} gives a network initialized from {@link #seed}: two builds are identical.</li>
 *   <li>The learning rate is the engine's: a model's {@code setLearningRate} replaces the rates of the
 *       JSON's updaters (see {@link Dl4jNetworkModel}).</li>
 * </ul>
 *
 * @param network which configuration {@code configuration} is; null means detected from the JSON
 *     ({@link Dl4jNetworkType#detect})
 * @param configuration DL4J's JSON of the network configuration
 * @param seed the seed of the parameter initialization (and of DL4J's other random draws)
 */
public record Dl4jNetworkSpec(Dl4jNetworkType network,
    @JsonRawValue @JsonDeserialize(using = Dl4jNetworkSpec.ConfigurationJson.class) String configuration, long seed)
    implements ModelSpec {

  public Dl4jNetworkSpec {
    if (configuration == null || configuration.isBlank()) {
      throw new IllegalArgumentException("no DL4J network configuration given (empty JSON)");
    }
    if (network == null) {
      network = Dl4jNetworkType.detect(configuration);
    }
    configuration = Dl4jConfiguration.parse(network, configuration).normalize(seed).toJson();
  }

  /** The spec of a configuration whose type is detected from its JSON. */
  public static Dl4jNetworkSpec of(String dl4jJson, long seed) {
    return new Dl4jNetworkSpec(null, dl4jJson, seed);
  }

  @Override
  public Dl4jNetworkModel build() {
    return parsed().newModel(this);
  }

  /** From the configuration alone: no network is built, no parameter array allocated. */
  @Override
  public long parameterCount() {
    return parsed().parameterCount();
  }

  /**
   * The width of the flat feature vectors the network reads (the {@code nIn} of the layers reading its
   * input); empty when its input is not read by feed-forward layers.
   */
  public OptionalLong inputWidth() {
    return parsed().inputWidth();
  }

  /** The output layer's {@code nOut}; empty when it has none. */
  public OptionalLong outputWidth() {
    return parsed().outputWidth();
  }

  // A fresh copy each time: DL4J's configuration objects are mutable, and a spec must not be.
  private Dl4jConfiguration parsed() {
    return Dl4jConfiguration.parse(network, configuration);
  }

  @Override
  public String toString() {
    return "Dl4jNetworkSpec[" + network + ", seed " + seed + ", " + configuration.length()
        + " characters of configuration JSON]";
  }

  /**
   * Reads {@code configuration} as the spec's JSON holds it, an embedded JSON object, or as a string
   * holding the JSON.
   */
  public static final class ConfigurationJson extends JsonDeserializer<String> {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      JsonNode node = p.readValueAsTree();
      return node.isTextual() ? node.textValue() : node.toString();
    }
  }
}
