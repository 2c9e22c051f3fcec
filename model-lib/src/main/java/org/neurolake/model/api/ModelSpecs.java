package org.neurolake.model.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * JSON form of model specs, {@code {"kind": "MLP", ...the spec's fields}}, for every spec type
 * registered through {@link ModelSpecType} on the class path. The registry is read once, when this
 * class loads; it is immutable afterwards.
 */
public final class ModelSpecs {
  /** The JSON property naming a spec's kind. */
  public static final String KIND = "kind";

  private static final Map<String, Class<? extends ModelSpec>> TYPES = discover();
  private static final ObjectMapper JSON = mapper();

  private ModelSpecs() {}

  private static Map<String, Class<? extends ModelSpec>> discover() {
    Map<String, Class<? extends ModelSpec>> types = new LinkedHashMap<>();
    for (ModelSpecType t : ServiceLoader.load(ModelSpecType.class, ModelSpecs.class.getClassLoader())) {
      Class<? extends ModelSpec> previous = types.putIfAbsent(t.kind(), t.specClass());
      if (previous != null && previous != t.specClass()) {
        throw new IllegalStateException("two model spec types are registered as kind '" + t.kind() + "': "
            + previous.getName() + " and " + t.specClass().getName());
      }
    }
    return Map.copyOf(types);
  }

  private static ObjectMapper mapper() {
    return newMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  /**
   * A new mapper that reads and writes fields of type {@link ModelSpec} as the registered kinds,
   * for records that hold a spec (a run record).
   */
  public static ObjectMapper newMapper() {
    ObjectMapper m = new ObjectMapper();
    TYPES.forEach((kind, cls) -> m.registerSubtypes(new NamedType(cls, kind)));
    return m;
  }

  /** The registered kinds, sorted. */
  public static TreeSet<String> kinds() {
    return new TreeSet<>(TYPES.keySet());
  }

  /** The kind of a spec of a registered type. */
  public static String kindOf(ModelSpec spec) {
    for (Map.Entry<String, Class<? extends ModelSpec>> e : TYPES.entrySet()) {
      if (e.getValue() == spec.getClass()) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException(spec.getClass().getName() + " is not a registered model spec type (known: "
        + kinds() + "); list its ModelSpecType in META-INF/services/" + ModelSpecType.class.getName());
  }

  public static String toJson(ModelSpec spec) {
    kindOf(spec);
    try {
      return JSON.writerFor(ModelSpec.class).writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write spec " + spec, e);
    }
  }

  /** The spec as a JSON tree (its kind included), for records that embed it. */
  public static JsonNode toTree(ModelSpec spec) {
    try {
      return JSON.readTree(toJson(spec));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write spec " + spec, e);
    }
  }

  public static ModelSpec fromJson(String json) {
    try {
      return fromTree(JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a model spec: " + e.getOriginalMessage(), e);
    }
  }

  public static ModelSpec fromTree(JsonNode node) {
    JsonNode kind = node.get(KIND);
    if (kind == null) {
      throw new IllegalArgumentException("model spec has no \"" + KIND + "\": " + node);
    }
    if (!TYPES.containsKey(kind.asText())) {
      throw new IllegalArgumentException("unknown model kind '" + kind.asText() + "' (registered: " + kinds() + ")");
    }
    try {
      return JSON.treeToValue(node, ModelSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a " + kind.asText() + " spec: " + e.getOriginalMessage(), e);
    }
  }
}
