package org.neurolake.model.dl4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of DL4J's two network configurations a JSON document is: the output of
 * {@code MultiLayerConfiguration.toJson()} (a stack of layers, trained as a {@code MultiLayerNetwork})
 * or of {@code ComputationGraphConfiguration.toJson()} (a graph of vertices, trained as a
 * {@code ComputationGraph}).
 */
public enum Dl4jNetworkType {
  MULTI_LAYER("MultiLayerConfiguration", "confs"),
  COMPUTATION_GRAPH("ComputationGraphConfiguration", "vertices");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String dl4jClass;
  private final String signatureField;

  Dl4jNetworkType(String dl4jClass, String signatureField) {
    this.dl4jClass = dl4jClass;
    this.signatureField = signatureField;
  }

  /** The simple name of DL4J's configuration class for this type. */
  public String dl4jClass() {
    return dl4jClass;
  }

  /**
   * The type of a DL4J configuration JSON, told by the field only its kind of configuration has
   * ({@code "confs"}: the layers of a MultiLayerConfiguration; {@code "vertices"}: those of a
   * ComputationGraphConfiguration).
   *
   * @throws IllegalArgumentException if {@code json} is not JSON, or is a JSON object with neither
   *     field (or both), naming what it found
   */
  public static Dl4jNetworkType detect(String json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a DL4J network configuration: not JSON (" + e.getOriginalMessage() + ")",
          e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("not a DL4J network configuration: expected a JSON object, got "
          + (root == null ? "nothing" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
    }
    List<Dl4jNetworkType> matching = new ArrayList<>();
    for (Dl4jNetworkType t : values()) {
      if (root.has(t.signatureField)) {
        matching.add(t);
      }
    }
    if (matching.size() != 1) {
      List<String> fields = new ArrayList<>();
      root.fieldNames().forEachRemaining(fields::add);
      throw new IllegalArgumentException("not a DL4J network configuration: expected the JSON of "
          + "MultiLayerConfiguration.toJson() (with \"confs\") or ComputationGraphConfiguration.toJson() (with"
          + " \"vertices\"), got an object with fields " + (fields.size() > 12 ? fields.subList(0, 12) + "..." : fields));
    }
    return matching.get(0);
  }
}
