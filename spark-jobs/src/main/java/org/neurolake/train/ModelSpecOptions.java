package org.neurolake.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeSet;
import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.ModelSpecs;

/**
 * Applies {@code model.*} options to a model spec, for any model kind: each key names a field of
 * the spec's JSON form (as {@link ModelSpecs} writes it, e.g. {@code genDim}), each value replaces
 * that field, and the result is read back through the spec's own validating constructor. An
 * unknown field or a value of the wrong type is an error naming the key.
 */
public final class ModelSpecOptions {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelSpecOptions() {}

  @SuppressWarnings("unchecked")
  public static <S extends ModelSpec> S apply(S defaults, Map<String, String> options) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(ModelSpecs.toJson(defaults));
      for (Map.Entry<String, String> e : options.entrySet()) {
        JsonNode old = node.get(e.getKey());
        if (old == null || e.getKey().equals("kind")) {
          TreeSet<String> known = new TreeSet<>();
          for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            known.add(it.next());
          }
          known.remove("kind");
          throw new IllegalArgumentException("unknown model option 'model." + e.getKey() + "' for "
              + ModelSpecs.kindOf(defaults) + " (known: " + known + ")");
        }
        node.set(e.getKey(), parse(e.getKey(), e.getValue(), old));
      }
      return (S) ModelSpecs.fromJson(JSON.writeValueAsString(node));
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalArgumentException("cannot apply model options " + options + ": " + ex.getOriginalMessage(), ex);
    }
  }

  private static JsonNode parse(String key, String value, JsonNode old) {
    try {
      if (old.isTextual()) {
        return JSON.getNodeFactory().textNode(value);
      }
      if (old.isArray()) {
        return JSON.readTree("[" + value + "]");
      }
      JsonNode v = JSON.readTree(value);
      if (old.isNumber() && !v.isNumber() || old.isBoolean() && !v.isBoolean()) {
        throw new IllegalArgumentException("model option model." + key + "=" + value + " must be a "
            + (old.isNumber() ? "number" : "boolean"));
      }
      if (old.isIntegralNumber() && !v.isIntegralNumber()) {
        throw new IllegalArgumentException("model option model." + key + "=" + value + " must be an integer");
      }
      return v;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("model option model." + key + "=" + value + " is not a valid value", e);
    }
  }
}
