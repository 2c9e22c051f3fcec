package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;
import org.neurolake.eval.Metric;
import org.neurolake.pipelines.text.Split;

/**
 * A text baseline ({@link TextBaselines}) fit and scored: the dev accuracy of every penalty, the
 * one chosen on dev, its test accuracy and non-zero weights, and the hashed feature count.
 *
 * @param model its evaluations partition, {@link SentimentModels#BOW} or {@link SentimentModels#NGRAM}
 */
public record BaselineFit(String model, List<PenaltyScore> scores, PenaltyScore chosen, double testAccuracy,
    int nonZeroWeights, int hashFeatures) {
  public BaselineFit {
    scores = List.copyOf(scores);
  }

  /**
   * Partition {@code model}: dev {@code accuracy_c=2^k} of every penalty; dev and test
   * {@code accuracy}; train {@code nonzero_weights}, {@code c} and {@code hash_features}.
   */
  public List<Metric> metrics(String dataset) {
    String train = Split.TRAIN.value();
    List<Metric> out = new ArrayList<>();
    for (PenaltyScore s : scores) {
      out.add(new Metric(model, dataset, Split.DEV.value(), s.metric(), s.devAccuracy()));
    }
    out.add(new Metric(model, dataset, Split.DEV.value(), "accuracy", chosen.devAccuracy()));
    out.add(new Metric(model, dataset, Split.TEST.value(), "accuracy", testAccuracy));
    out.add(new Metric(model, dataset, train, "nonzero_weights", nonZeroWeights));
    out.add(new Metric(model, dataset, train, "c", chosen.c()));
    out.add(new Metric(model, dataset, train, "hash_features", hashFeatures));
    return out;
  }
}
