package org.neurolake.report;

import java.util.List;

/**
 * A run's line in the index of reports, stored as {@code summary.json} beside its page so that the
 * index can be rebuilt from the report folders alone.
 *
 * @param finalMetrics e.g. {@code "mlp/blobs/test accuracy = 0.93 (round 30)"}
 */
public record RunSummary(String runId, List<String> models, List<String> datasets, List<String> finalMetrics,
    int plots, String generatedAt) {
  public RunSummary {
    models = List.copyOf(models);
    datasets = List.copyOf(datasets);
    finalMetrics = List.copyOf(finalMetrics);
  }

  public static RunSummary of(RunReport r) {
    List<String> finals = r.finalEvaluations().stream()
        .map(e -> e.model() + "/" + e.dataset() + "/" + e.split() + " " + e.metric() + " = " + ReportHtml.number(e.value())
            + (e.round() == null ? "" : " (round " + e.round() + ")"))
        .toList();
    return new RunSummary(r.runId(), r.models(), r.datasets(), finals, r.roundPlots().size() + r.modelPlots().size(),
        r.generatedAt());
  }
}
