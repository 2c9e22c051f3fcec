package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;
import org.neurolake.eval.Metric;
import org.neurolake.pipelines.text.Split;

/**
 * The probe on all labeled training examples: the grid's probes with C chosen on dev, and the
 * chosen probe's test accuracy.
 */
public record ProbeFit(PenaltyChoice<LinearProbe> choice, int trainExamples, double testAccuracy) {
  public LinearProbe probe() {
    return choice.chosenModel();
  }

  public double c() {
    return choice.chosen().c();
  }

  /**
   * Partition {@link SentimentModels#PROBE}: dev and test {@code accuracy}; train
   * {@code nonzero_weights}, {@code c}, {@code reg_param} (MLlib's) and {@code examples}; dev
   * {@code accuracy_c=2^k} of every penalty.
   */
  public List<Metric> metrics(String dataset) {
    String model = SentimentModels.PROBE;
    String train = Split.TRAIN.value();
    List<Metric> out = new ArrayList<>();
    out.add(new Metric(model, dataset, Split.DEV.value(), "accuracy", choice.chosen().devAccuracy()));
    out.add(new Metric(model, dataset, Split.TEST.value(), "accuracy", testAccuracy));
    out.add(new Metric(model, dataset, train, "nonzero_weights", probe().nonZeroWeights()));
    out.add(new Metric(model, dataset, train, "c", c()));
    out.add(new Metric(model, dataset, train, "reg_param", RegularizationGrid.regParam(c(), trainExamples)));
    out.add(new Metric(model, dataset, train, "examples", trainExamples));
    for (PenaltyScore s : choice.scores()) {
      out.add(new Metric(model, dataset, Split.DEV.value(), s.metric(), s.devAccuracy()));
    }
    return out;
  }
}
