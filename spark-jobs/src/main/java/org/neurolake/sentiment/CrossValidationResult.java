package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.stat.descriptive.moment.StandardDeviation;
import org.neurolake.eval.Metric;

/** The probe's fold scores under a {@link ProbeProtocol} (one fold for a held-out test set). */
public record CrossValidationResult(ProbeProtocol protocol, List<FoldScore> folds) {
  public CrossValidationResult {
    folds = List.copyOf(folds);
    if (folds.isEmpty()) {
      throw new IllegalArgumentException("no fold");
    }
  }

  /** The protocol's label in evaluations ({@link ProbeProtocol#label}). */
  public String label() {
    return protocol.label(folds.size());
  }

  public Summary probe() {
    return Summary.of(folds.stream().mapToDouble(FoldScore::testAccuracy).toArray());
  }

  /** The sentiment unit's test accuracy over the folds where a unit was found. */
  public Summary unit() {
    return Summary.of(folds.stream().mapToDouble(FoldScore::unitTestAccuracy).filter(v -> !Double.isNaN(v))
        .toArray());
  }

  /** Mean and sample standard deviation (0 for one value) of test accuracies over {@code n} folds. */
  public record Summary(double mean, double std, int n) {
    static Summary of(double[] v) {
      if (v.length == 0) {
        return new Summary(Double.NaN, Double.NaN, 0);
      }
      double mean = java.util.Arrays.stream(v).average().orElseThrow();
      return new Summary(mean, v.length > 1 ? new StandardDeviation(true).evaluate(v) : 0, v.length);
    }
  }

  /**
   * Split = {@link #label()}: per fold, {@code mlstm-probe} {@code accuracy_fold=f} and {@code c_fold=f}
   * and {@code mlstm-unit} {@code accuracy_fold=f} (when found).
   */
  public List<Metric> foldMetrics(String dataset) {
    return foldMetrics(dataset, SentimentModels.PROBE);
  }

  /**
   * As {@link #foldMetrics(String)} with the fits' rows in partition {@code model} (e.g. a baseline,
   * {@link SentimentModels#BOW}); unit rows only for the folds that found a sentiment unit.
   */
  public List<Metric> foldMetrics(String dataset, String model) {
    List<Metric> out = new ArrayList<>();
    for (FoldScore f : folds) {
      out.add(new Metric(model, dataset, label(), "accuracy_fold=" + f.fold(), f.testAccuracy()));
      out.add(new Metric(model, dataset, label(), "c_fold=" + f.fold(), f.c()));
      if (!Double.isNaN(f.unitTestAccuracy())) {
        out.add(new Metric(SentimentModels.UNIT, dataset, label(), "accuracy_fold=" + f.fold(), f.unitTestAccuracy()));
      }
    }
    return out;
  }
}
