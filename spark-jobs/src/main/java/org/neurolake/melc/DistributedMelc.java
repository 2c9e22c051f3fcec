package org.neurolake.melc;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.neurolake.model.melc.LabeledPoints;
import org.neurolake.model.melc.MelcClassifier;
import org.neurolake.model.melc.MelcSpec;
import org.neurolake.model.melc.MelcTrainer;
import org.neurolake.model.melc.OneVsRestMelc;

/**
 * MELC trained on an {@code examples} table of any size: the direction by L-BFGS on the driver over
 * {@link DistributedBinnedObjective} (each evaluation one Spark aggregation), then the prediction
 * rule's class densities from a seeded sample of at most {@code ruleSample} training rows (the
 * rule keeps the projections it compares against). One-vs-rest for more than two classes. No SVM
 * start here: random starts only.
 */
public final class DistributedMelc {
  private DistributedMelc() {}

  /**
   * @param model the classifier
   * @param aggregations Spark histogram aggregations over all binary problems
   * @param evaluations objective evaluations over all binary problems and starts
   * @param worstBound the largest certified objective error bound of any evaluation
   */
  public record Trained(OneVsRestMelc model, long aggregations, long evaluations, double worstBound) {}

  public static Trained train(Dataset<Row> examples, int classes, MelcSpec spec, int ruleSample) {
    List<MelcClassifier> perClass = new ArrayList<>();
    long aggregations = 0;
    long evaluations = 0;
    double worst = 0;
    int problems = classes == 2 ? 1 : classes;
    for (int c = 0; c < problems; c++) {
      int positive = classes == 2 ? 1 : c;
      JavaRDD<LabeledVector> rows = DistributedBinnedObjective.binaryRows(examples, positive);
      try {
        DistributedBinnedObjective objective = DistributedBinnedObjective.over(rows, spec.dims(), spec.gamma(),
            spec.epsilon());
        MelcTrainer.Direction d = MelcTrainer.direction(objective, spec, null);
        List<LabeledVector> sample = rows.takeSample(false, ruleSample, spec.seed());
        LabeledPoints points = new LabeledPoints(sample.stream().map(LabeledVector::features).toArray(double[][]::new),
            sample.stream().mapToInt(LabeledVector::label).toArray());
        perClass.add(MelcClassifier.fit(points, d.u(), spec.gamma(), spec.priors()));
        aggregations += objective.aggregations();
        evaluations += d.evaluations();
        worst = Math.max(worst, d.worstBound());
      } finally {
        rows.unpersist(false);
      }
    }
    return new Trained(OneVsRestMelc.of(perClass), aggregations, evaluations, worst);
  }
}
