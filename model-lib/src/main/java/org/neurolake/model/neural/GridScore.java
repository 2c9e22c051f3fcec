package org.neurolake.model.neural;

import java.util.Map;
import java.util.TreeMap;

/** One point of a hyperparameter search: its settings by name and its validation score. */
public record GridScore(Map<String, Double> hyperparameters, double score) {
  public GridScore {
    hyperparameters = java.util.Collections.unmodifiableMap(new TreeMap<>(hyperparameters));
  }
}
