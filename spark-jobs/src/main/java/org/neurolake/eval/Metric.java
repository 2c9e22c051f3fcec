package org.neurolake.eval;

import java.util.Objects;
import org.neurolake.pipelines.table.PartitionKey;

/**
 * One evaluation figure, as every evaluation (a training run's, the LFADS metrics, the sentiment
 * probe, a baseline) returns it: which model or baseline scored {@code value} on {@code metric} over
 * {@code split} of {@code dataset}. The run id, round and time are added when it is written
 * ({@link EvaluationsTable}).
 *
 * @param model the evaluations partition, e.g. {@code lfads}, {@code smoothing}, {@code bow}
 */
public record Metric(String model, String dataset, String split, String metric, double value) {
  public Metric {
    PartitionKey.requireSafe(model);
    Objects.requireNonNull(dataset, "dataset");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(metric, "metric");
  }
}
