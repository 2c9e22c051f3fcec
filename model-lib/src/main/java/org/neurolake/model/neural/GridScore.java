package org.neurolake.model.neural;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** One point of a hyperparameter search: its settings by name and its validation score. */
public record GridScore(Map<String, Double> hyperparameters, double score) {
  public GridScore {
    hyperparameters = java.util.Collections.unmodifiableMap(new TreeMap<>(hyperparameters));
  }

  /**
   * Whether {@code chosen} is the smallest or largest value of a grid of more than one value: the
   * best setting may then lie outside the grid, and the grid should be widened before the baseline's
   * figure is trusted.
   */
  public static boolean atEdge(double chosen, double... grid) {
    if (grid.length < 2) {
      return false;
    }
    double min = Arrays.stream(grid).min().orElseThrow();
    double max = Arrays.stream(grid).max().orElseThrow();
    return chosen == min || chosen == max;
  }
}
