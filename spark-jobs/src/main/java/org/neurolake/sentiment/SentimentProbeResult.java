package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.neurolake.eval.Metric;

/**
 * What {@link SentimentProbe} found on a labeled source ({@code dataset}): the probe on all training
 * examples, the sentiment unit and its test values by class, the data-efficiency curve (by size,
 * then seed) and the text baselines (none when they were not asked for).
 */
public record SentimentProbeResult(String dataset, ProbeFit probe, SentimentUnitChoice unit,
    UnitHistogram unitHistogram, List<DataEfficiencyPoint> dataEfficiency, List<BaselineFit> baselines) {
  public SentimentProbeResult {
    dataEfficiency = List.copyOf(dataEfficiency);
    baselines = List.copyOf(baselines);
  }

  /** Every figure for the evaluations table: the probe's, the unit's, then each baseline's. */
  public List<Metric> metrics() {
    List<Metric> out = new ArrayList<>(probe.metrics(dataset));
    out.addAll(unit.metrics(dataset));
    baselines.forEach(b -> out.addAll(b.metrics(dataset)));
    return List.copyOf(out);
  }

  /** Test accuracies of the seeds by number of labeled examples, ascending: the data-efficiency plot's line. */
  public SortedMap<Integer, List<Double>> dataEfficiencyCurve() {
    SortedMap<Integer, List<Double>> curve = new TreeMap<>();
    dataEfficiency.forEach(p -> curve.computeIfAbsent(p.examples(), k -> new ArrayList<>()).add(p.testAccuracy()));
    return curve;
  }
}
