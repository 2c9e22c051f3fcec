package org.neurolake.model.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON form of model specs: {@code {"kind": "MLP", ...the spec's fields}}. */
public final class ModelSpecs {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ModelSpecs() {}

  public static String toJson(ModelSpec spec) {
    ObjectNode node = JSON.valueToTree(spec);
    node.put("kind", spec.kind().name());
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write spec " + spec, e);
    }
  }

  public static ModelSpec fromJson(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      JsonNode kind = node.get("kind");
      if (kind == null) {
        throw new IllegalArgumentException("model spec has no \"kind\": " + json);
      }
      ModelKind k = ModelKind.valueOf(kind.asText());
      ((ObjectNode) node).remove("kind");
      return JSON.treeToValue(node, k.specClass);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a model spec: " + e.getOriginalMessage(), e);
    }
  }
}
