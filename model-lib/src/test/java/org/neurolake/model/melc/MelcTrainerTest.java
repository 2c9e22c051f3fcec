package org.neurolake.model.melc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurolake.model.api.ModelSpecs;

class MelcTrainerTest {
  @Test
  void findsTheTwoThresholdDirectionWithEveryObjective() {
    LabeledPoints train = MelcFixtures.twoThresholds(400, 1);
    LabeledPoints test = MelcFixtures.twoThresholds(400, 2);
    for (Approximation a : Approximation.values()) {
      MelcSpec spec = MelcSpec.builder(2).approximation(a).randomStarts(3).epsilon(0.05).build();
      MelcClassifier c = MelcTrainer.fit(train, spec, null);
      double[] u = c.direction();
      assertTrue(Math.abs(u[0]) > 0.95, a + ": direction " + u[0] + ", " + u[1]);
      int correct = 0;
      for (int i = 0; i < test.size(); i++) {
        correct += c.predict(test.x()[i]) == test.y()[i] ? 1 : 0;
      }
      assertTrue(correct > 0.95 * test.size(), a + ": accuracy " + correct + "/" + test.size());
      assertEquals(2, c.thresholds(), a + ": thresholds");
    }
  }

  @Test
  void oneVsRestSeparatesThreeClasses() {
    int n = 300;
    double[][] x = new double[n][2];
    int[] y = new int[n];
    java.util.Random r = new java.util.Random(4);
    for (int i = 0; i < n; i++) {
      y[i] = i % 3;
      x[i][0] = 4 * y[i] + 0.5 * r.nextGaussian();
      x[i][1] = r.nextGaussian();
    }
    OneVsRestMelc m = OneVsRestMelc.fit(x, y, 3, MelcSpec.builder(2).randomStarts(2).build(), null);
    int correct = 0;
    for (int i = 0; i < n; i++) {
      correct += m.predict(x[i]) == y[i] ? 1 : 0;
    }
    assertEquals(3, m.classifiers().size());
    assertTrue(correct > 0.95 * n, "accuracy " + correct + "/" + n);
  }

  @Test
  void specRoundTripsAsKindMelc() {
    MelcSpec spec = MelcSpec.builder(7).approximation(Approximation.BINNED).epsilon(0.1).gamma(0.8).seed(9).build();
    String json = ModelSpecs.toJson(spec);
    assertTrue(json.contains("\"kind\" : \"melc\""), json);
    assertEquals(spec, ModelSpecs.fromJson(json));
  }
}
