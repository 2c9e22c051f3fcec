package org.neurolake.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a run's report page shows: its configuration ({@code run.json}, when the training job wrote
 * one), its evaluation rows, whether its {@code train_rounds} plots exist, and the PNGs its model
 * job put under {@code plots/}.
 *
 * @param configLocation where run.json was looked for
 * @param configJson run.json, pretty-printed; empty when it does not exist
 * @param roundPlots the round plots drawn (file names in the run's report folder); empty without train_rounds rows
 * @param modelPlots file names under {@code plots/}
 * @param generatedAt ISO-8601 instant
 */
public record RunReport(String runId, String configLocation, Optional<String> configJson, List<Evaluation> evaluations,
    List<String> roundPlots, List<String> modelPlots, String generatedAt) {

  /** One row of the evaluations table. */
  public record Evaluation(String model, String dataset, String split, String metric, Integer round, double value,
      String createdAt) {}

  public RunReport {
    Objects.requireNonNull(runId, "runId");
    evaluations = List.copyOf(evaluations);
    roundPlots = List.copyOf(roundPlots);
    modelPlots = List.copyOf(modelPlots);
  }

  /** True when the lake knows nothing of the run. */
  public boolean isEmpty() {
    return configJson.isEmpty() && evaluations.isEmpty() && roundPlots.isEmpty() && modelPlots.isEmpty();
  }

  /**
   * Each (model, dataset, split, metric)'s value at its last evaluated round (the latest row when
   * a round was evaluated twice, e.g. after a resume), in that order.
   */
  public List<Evaluation> finalEvaluations() {
    Map<List<String>, Evaluation> last = new LinkedHashMap<>();
    Comparator<Evaluation> order = Comparator.comparing((Evaluation e) -> e.round() == null ? -1 : e.round())
        .thenComparing(Evaluation::createdAt);
    for (Evaluation e : sortedEvaluations()) {
      last.merge(List.of(e.model(), e.dataset(), e.split(), e.metric()), e, (a, b) -> order.compare(a, b) >= 0 ? a : b);
    }
    return new ArrayList<>(last.values());
  }

  /** Evaluations by model, dataset, split, metric, round, time. */
  public List<Evaluation> sortedEvaluations() {
    return evaluations.stream().sorted(Comparator.comparing(Evaluation::model).thenComparing(Evaluation::dataset)
        .thenComparing(Evaluation::split).thenComparing(Evaluation::metric)
        .thenComparing(e -> e.round() == null ? -1 : e.round()).thenComparing(Evaluation::createdAt)).toList();
  }

  public List<String> models() {
    return List.copyOf(new TreeSet<>(evaluations.stream().map(Evaluation::model).toList()));
  }

  public List<String> datasets() {
    return List.copyOf(new TreeSet<>(evaluations.stream().map(Evaluation::dataset).toList()));
  }
}
