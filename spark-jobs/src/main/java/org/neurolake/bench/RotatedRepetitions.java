package org.neurolake.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a benchmark's scenarios {@code repetitions} times, each repetition in the order of the one
 * before rotated by one place (a b c, b c a, c a b, ...), so that warm-up, caches and drift in the
 * machine's speed fall on every scenario alike rather than always on the first. The ratios a
 * benchmark publishes are then taken per repetition and summarised by {@link Spread}.
 */
public final class RotatedRepetitions {
  /** The fewest repetitions a published ratio may come from; fewer runs are smoke runs, and say so. */
  public static final int MIN_REPETITIONS = 5;

  /** One measured alternative: runs once per call and returns what it measured. */
  public interface Scenario<T> {
    T run(int repetition) throws Exception;
  }

  private RotatedRepetitions() {}

  /**
   * Runs every scenario once per repetition, in rotated order, and returns each scenario's results
   * in repetition order, keyed (in the given order) by name.
   */
  public static <T> Map<String, List<T>> run(int repetitions, Map<String, Scenario<T>> scenarios) throws Exception {
    if (repetitions < 1 || scenarios.isEmpty()) {
      throw new IllegalArgumentException("need >= 1 repetition and >= 1 scenario");
    }
    if (repetitions < MIN_REPETITIONS) {
      System.out.printf(Locale.ROOT, "note: %d repetitions, fewer than the %d a published figure needs: a smoke run%n",
          repetitions, MIN_REPETITIONS);
    }
    List<String> names = new ArrayList<>(scenarios.keySet());
    Map<String, List<T>> results = new LinkedHashMap<>();
    names.forEach(n -> results.put(n, new ArrayList<>()));
    for (int rep = 0; rep < repetitions; rep++) {
      List<String> order = order(names, rep);
      System.out.printf(Locale.ROOT, "repetition %d of %d: %s%n", rep + 1, repetitions, String.join(" ", order));
      for (String name : order) {
        results.get(name).add(scenarios.get(name).run(rep));
      }
    }
    return results;
  }

  /** The scenario order of repetition {@code rep}: the names rotated left by {@code rep} places. */
  static <T> List<T> order(List<T> names, int rep) {
    List<T> out = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      out.add(names.get((i + rep) % names.size()));
    }
    return out;
  }
}
