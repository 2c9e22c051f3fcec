package org.neurolake.sentiment;

import java.util.List;
import org.neurolake.eval.Metric;
import org.neurolake.pipelines.text.Split;

/**
 * The sentiment unit: the feature of largest absolute weight in the probe chosen on dev, with one
 * threshold fit on it alone on the training examples (the paper's single-unit classifier).
 *
 * @param unit the feature (cell-state unit) index
 * @param weight its weight in the probe it was read from
 * @param probeC the C of that probe: the chosen C, unless that probe has no non-zero weight
 */
public record SentimentUnitChoice(int unit, double weight, double probeC, ThresholdClassifier threshold,
    double trainAccuracy, double devAccuracy, double testAccuracy) {
  public SentimentUnitChoice {
    if (unit < 0) {
      throw new IllegalArgumentException("unit must be >= 0, got " + unit);
    }
  }

  /**
   * The unit of {@code choice}'s chosen probe. When the penalty chosen on dev zeroes every weight (a
   * constant predictor won), the least penalized probe that has a non-zero weight names it (the
   * grid's last, then backwards).
   */
  public static SentimentUnitChoice find(PenaltyChoice<LinearProbe> choice, BySplit<LabeledFeatures> data) {
    int from = choice.chosenModel().largestWeight() >= 0 ? choice.chosenIndex() : lastWithAWeight(choice);
    LinearProbe probe = choice.models().get(from);
    int unit = probe.largestWeight();
    ThresholdClassifier threshold = ThresholdClassifier.fit(data.train().unit(unit), data.train().labels());
    return new SentimentUnitChoice(unit, probe.weight(unit), choice.scores().get(from).c(), threshold,
        data.train().accuracy(threshold, unit), data.dev().accuracy(threshold, unit),
        data.test().accuracy(threshold, unit));
  }

  private static int lastWithAWeight(PenaltyChoice<LinearProbe> choice) {
    for (int i = choice.models().size() - 1; i >= 0; i--) {
      if (choice.models().get(i).largestWeight() >= 0) {
        return i;
      }
    }
    throw new IllegalStateException("no probe of the grid " + choice.scores().stream().map(PenaltyScore::c).toList()
        + " has a non-zero weight: no sentiment unit (try larger C with --log2-c)");
  }

  /**
   * Partition {@link SentimentModels#UNIT}: train {@code unit}, {@code weight}, {@code threshold} and
   * {@code accuracy}; dev and test {@code accuracy}.
   */
  public List<Metric> metrics(String dataset) {
    String model = SentimentModels.UNIT;
    String train = Split.TRAIN.value();
    return List.of(
        new Metric(model, dataset, train, "unit", unit),
        new Metric(model, dataset, train, "weight", weight),
        new Metric(model, dataset, train, "threshold", threshold.threshold()),
        new Metric(model, dataset, train, "accuracy", trainAccuracy),
        new Metric(model, dataset, Split.DEV.value(), "accuracy", devAccuracy),
        new Metric(model, dataset, Split.TEST.value(), "accuracy", testAccuracy));
  }

  /** The record {@code generate --clamp-unit sentiment} reads, for run {@code runId} probed on {@code source}. */
  public SentimentUnit toFile(String runId, String source) {
    return new SentimentUnit(runId, source, unit, weight, threshold.threshold(), threshold.sign(), testAccuracy);
  }
}
