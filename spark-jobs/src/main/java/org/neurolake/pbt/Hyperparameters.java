package org.neurolake.pbt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** A member's hyperparameters: run option name to value, in key order. */
public record Hyperparameters(Map<String, Double> values) {
  public Hyperparameters {
    values = Collections.unmodifiableMap(new TreeMap<>(values));
  }

  public double get(String key) {
    Double v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("no hyperparameter '" + key + "' (have " + values.keySet() + ")");
    }
    return v;
  }

  /** The values as run options ({@code --set} form): whole numbers without a fraction, so integer options parse. */
  public Map<String, String> asOptions() {
    Map<String, String> m = new LinkedHashMap<>();
    values.forEach((k, v) -> m.put(k, v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString(v.longValue())
        : Double.toString(v)));
    return m;
  }
}
