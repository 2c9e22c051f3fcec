package org.neurolake.sim;

import java.util.List;
import java.util.OptionalDouble;

/** What a simulated setting produced: its steps, its evaluations, and the backups chosen when automatic. */
public record SimResult(String setting, List<SimStep> steps, List<SimEvaluation> evaluations,
    List<Integer> autoBackups) {
  /** The first virtual time at which {@code metric} on {@code split} reached {@code target} (higher is better). */
  public OptionalDouble timeToReach(String split, String metric, double target) {
    return evaluations.stream().filter(e -> e.split().equals(split) && e.metric().equals(metric)
        && e.value() >= target).mapToDouble(SimEvaluation::virtualS).min();
  }

  /** The last evaluation of {@code metric} on {@code split}. */
  public double last(String split, String metric) {
    return evaluations.stream().filter(e -> e.split().equals(split) && e.metric().equals(metric))
        .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException(setting + " has no " + split + " " + metric))
        .value();
  }
}
