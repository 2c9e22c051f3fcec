package org.neurolake.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The one line a benchmark ends with: {@code BENCH <name> key=value ...}, numbers only, keys in a fixed order. */
public final class BenchLine {
  private final String name;
  private final Map<String, Double> values = new LinkedHashMap<>();

  public BenchLine(String name) {
    this.name = name;
  }

  public BenchLine put(String key, double value) {
    if (!key.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("bad key " + key);
    }
    if (Double.isNaN(value) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(key + " is not a finite number: " + value);
    }
    values.put(key, value);
    return this;
  }

  /** {@code key} (the median), {@code key_min}, {@code key_max}: a figure over repetitions with its spread. */
  public BenchLine put(String key, Spread spread) {
    return put(key, spread.median()).put(key + "_min", spread.min()).put(key + "_max", spread.max());
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("BENCH ").append(name);
    values.forEach((k, v) -> sb.append(' ').append(k).append('=')
        .append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) (double) v)
            : String.format(Locale.ROOT, "%.4g", v)));
    return sb.toString();
  }
}
