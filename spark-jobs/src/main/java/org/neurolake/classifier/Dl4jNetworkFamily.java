package org.neurolake.classifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.neurolake.family.TrainRequest;
import org.neurolake.model.dl4j.Dl4jNetworkSpec;

/**
 * A DL4J network of the user's own, given as DL4J's configuration JSON, as a model family: trains on
 * the train split of an {@code examples} dataset and evaluates loss and accuracy on its test split,
 * like {@link MlpFamily}.
 *
 * <p>{@code model.configFile} names the JSON file ({@code MultiLayerConfiguration.toJson()} or
 * {@code ComputationGraphConfiguration.toJson()}; a relative path is resolved against the current
 * directory). It is read once, when the run's spec is made: the spec stores the configuration itself,
 * so checkpoints, resumed runs and inference do not depend on the file (a resumed run whose file now
 * holds another network is refused by the engine, as for any other spec change). The network's input
 * width must be the examples' feature count and its output width their number of classes. The spec's
 * seed is the trainer's {@code seed}, and the learning rate is the trainer's {@code learning-rate}
 * and schedule: they replace the JSON's seed and its updaters' rates.
 */
public final class Dl4jNetworkFamily extends ExamplesClassifierFamily<Dl4jNetworkSpec> {
  public static final String NAME = "dl4j";
  /** The model option naming the network's JSON file. */
  public static final String CONFIG_FILE = "configFile";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String summary() {
    return "a DL4J network of your own (model.configFile: its MultiLayerConfiguration or"
        + " ComputationGraphConfiguration JSON) on an examples dataset (--dataset)";
  }

  @Override
  public Class<Dl4jNetworkSpec> specType() {
    return Dl4jNetworkSpec.class;
  }

  @Override
  protected void checkOptions(TrainRequest request) {
    super.checkOptions(request);
    configFile(request.options().model()); // a missing or misspelt option fails before the data is read
  }

  @Override
  public Dl4jNetworkSpec spec(ExamplesData data, TrainRequest request) {
    Path file = configFile(request.options().model());
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the network configuration model." + CONFIG_FILE + "=" + file
          + ": " + e, e);
    }
    Dl4jNetworkSpec spec;
    try {
      spec = Dl4jNetworkSpec.of(json, request.trainer().seed());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("model." + CONFIG_FILE + "=" + file + ": " + e.getMessage(), e);
    }
    requireWidth(file, "input", "takes", spec.inputWidth(), data.dims(), "features");
    requireWidth(file, "output", "has", spec.outputWidth(), data.nClasses(), "classes");
    return spec;
  }

  private static Path configFile(Map<String, String> model) {
    TreeSet<String> unknown = new TreeSet<>(model.keySet());
    unknown.remove(CONFIG_FILE);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown model option" + (unknown.size() > 1 ? "s " : " ")
          + unknown.stream().map(k -> "'model." + k + "'").toList() + " for the " + NAME + " family (known: model."
          + CONFIG_FILE + "; the network itself is set in its JSON)");
    }
    String path = model.get(CONFIG_FILE);
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("the " + NAME + " family needs model." + CONFIG_FILE
          + "=<a DL4J network's JSON file> (MultiLayerConfiguration.toJson() or ComputationGraphConfiguration.toJson())");
    }
    return Path.of(path.trim());
  }

  private static void requireWidth(Path file, String side, String verb, OptionalLong width, long expected,
      String what) {
    if (width.isEmpty()) {
      throw new IllegalArgumentException("the network in " + file + ": cannot tell its " + side + " width; the "
          + NAME + " family needs the input read by feed-forward layers with nIn set and an output layer with nOut"
          + " set");
    }
    if (width.getAsLong() != expected) {
      throw new IllegalArgumentException("the network in " + file + " " + verb + " " + width.getAsLong() + " "
          + side + "s but the examples have " + expected + " " + what);
    }
  }
}
