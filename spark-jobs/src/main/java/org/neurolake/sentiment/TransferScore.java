package org.neurolake.sentiment;

import java.util.List;
import org.neurolake.eval.Metric;

/**
 * One row of the paper's transfer table: a model's (or baseline's) test accuracy on a task, mean
 * and sample standard deviation over the protocol's folds (one fold, std 0, for a fixed split or a
 * held-out test set). Written to {@code evaluations} as split = the protocol's label
 * ({@code fixed}, {@code held-out}, {@code 10-fold}) and metrics {@code transfer_accuracy_mean},
 * {@code transfer_accuracy_std}, {@code transfer_folds}; {@code conf/queries/transfer.sql} prints the table.
 *
 * @param model the evaluations partition ({@link SentimentModels#PROBE}, {@link SentimentModels#UNIT},
 *     {@link SentimentModels#BOW}, {@link SentimentModels#NGRAM})
 */
public record TransferScore(String model, String protocol, double mean, double std, int folds) {
  public static final String MEAN = "transfer_accuracy_mean";
  public static final String STD = "transfer_accuracy_std";
  public static final String FOLDS = "transfer_folds";

  public static TransferScore of(String model, String protocol, CrossValidationResult.Summary s) {
    return new TransferScore(model, protocol, s.mean(), s.std(), s.n());
  }

  /** A fixed split's single test accuracy. */
  public static TransferScore fixed(String model, double testAccuracy) {
    return new TransferScore(model, ProbeProtocol.FIXED.label(1), testAccuracy, 0, 1);
  }

  public List<Metric> metrics(String task) {
    return List.of(new Metric(model, task, protocol, MEAN, mean), new Metric(model, task, protocol, STD, std),
        new Metric(model, task, protocol, FOLDS, folds));
  }

  /** The fixed-split transfer rows of a {@link SentimentProbe} result: probe, unit, then each baseline. */
  public static List<TransferScore> ofFixed(SentimentProbeResult r) {
    java.util.List<TransferScore> out = new java.util.ArrayList<>();
    out.add(fixed(SentimentModels.PROBE, r.probe().testAccuracy()));
    out.add(fixed(SentimentModels.UNIT, r.unit().testAccuracy()));
    r.baselines().forEach(b -> out.add(fixed(b.model(), b.testAccuracy())));
    return out;
  }
}
