package org.neurolake.sentiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurolake.eval.Metric;

class SentimentUnitChoiceTest {
  /** Unit 1 separates the classes (small values positive); unit 0 only mostly. */
  static final LabeledFeatures TRAIN = new LabeledFeatures(
      new float[][] {{1, 5, 0}, {2, 6, 0}, {3, -5, 0}, {-4, -6, 0}}, new int[] {0, 0, 1, 1});
  static final LabeledFeatures HELD_OUT = new LabeledFeatures(
      new float[][] {{0, 4, 0}, {0, -4, 0}, {0, 3, 0}, {0, 3, 0}}, new int[] {0, 1, 1, 0});
  static final BySplit<LabeledFeatures> DATA = new BySplit<>(TRAIN, HELD_OUT, HELD_OUT);

  static PenaltyChoice<LinearProbe> choice(double[] devAccuracies, LinearProbe... probes) {
    List<Double> grid = List.of(0.25, 0.5, 1.0).subList(0, probes.length);
    List<LinearProbe> models = List.of(probes);
    return PenaltyChoice.onDev(grid, models, p -> devAccuracies[models.indexOf(p)]);
  }

  @Test
  void theUnitIsTheLargestAbsoluteWeightOfTheChosenProbe() {
    LinearProbe chosen = new LinearProbe(new double[] {0.5, -2, 1}, 0);
    LinearProbe other = new LinearProbe(new double[] {3, 0, 0}, 0);
    SentimentUnitChoice u = SentimentUnitChoice.find(choice(new double[] {0.9, 0.8}, chosen, other), DATA);
    assertEquals(1, u.unit(), "|-2| is the largest weight of the chosen probe");
    assertEquals(-2, u.weight());
    assertEquals(0.25, u.probeC());
    assertEquals(-1, u.threshold().sign(), "small values of unit 1 mean positive");
    assertEquals(1.0, u.trainAccuracy());
    assertEquals(0.75, u.testAccuracy());
    assertEquals(new SentimentUnit("r", "s", 1, -2, u.threshold().threshold(), -1, 0.75), u.toFile("r", "s"));
    assertEquals(List.of("train unit", "train weight", "train threshold", "train accuracy", "dev accuracy",
        "test accuracy"), u.metrics("s").stream().map(m -> m.split() + " " + m.metric()).toList());
    assertEquals(List.of(1.0, -2.0), u.metrics("s").stream().limit(2).map(Metric::value).toList());
  }

  @Test
  void aChosenProbeWithoutWeightsDefersToTheLeastPenalizedOneWithSome() {
    LinearProbe constant = new LinearProbe(new double[3], 1);
    LinearProbe middle = new LinearProbe(new double[] {4, 0, 0}, 0);
    LinearProbe loosest = new LinearProbe(new double[] {0, 0.5, 0.1}, 0);
    SentimentUnitChoice u = SentimentUnitChoice.find(choice(new double[] {0.9, 0.5, 0.5}, constant, middle, loosest),
        DATA);
    assertEquals(1, u.unit());
    assertEquals(1.0, u.probeC(), "the grid's last (least penalized) probe");

    IllegalStateException none = assertThrows(IllegalStateException.class, () -> SentimentUnitChoice.find(
        choice(new double[] {0.9, 0.5}, constant, new LinearProbe(new double[3], -1)), DATA));
    assertTrue(none.getMessage().contains("--log2-c"), none.getMessage());
  }
}
