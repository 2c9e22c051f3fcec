package org.neurolake.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.neurolake.sentiment.LabeledFeatures;

class LatentFactorFeaturesTest {
  /** Per unit: mean feature of the positives minus mean of the negatives. */
  private static double[] classMeanDifference(LabeledFeatures d) {
    double[] diff = new double[d.features()];
    for (int j = 0; j < d.features(); j++) {
      double[] pos = d.unit(j, 1);
      double[] neg = d.unit(j, 0);
      diff[j] = java.util.Arrays.stream(pos).average().orElseThrow() - java.util.Arrays.stream(neg).average()
          .orElseThrow();
    }
    return diff;
  }

  @Test
  void theLabelIsSpreadOverTheUnitsByOneMixingSharedByEverySplit() {
    LatentFactorFeatures gen = new LatentFactorFeatures(48);
    double[] train = classMeanDifference(gen.generate(4000, 1));
    double[] test = classMeanDifference(gen.generate(4000, 2));
    int carrying = 0;
    int sameSign = 0;
    for (int j = 0; j < train.length; j++) {
      // The noise of a class-mean difference over 2 x 2000 examples is ~0.02; 0.06 is signal.
      if (Math.abs(train[j]) > 0.06) {
        carrying++;
        sameSign += Math.signum(train[j]) == Math.signum(test[j]) ? 1 : 0;
      }
    }
    assertTrue(carrying >= train.length / 2, "most units carry some label signal: " + carrying + " of "
        + train.length + " " + java.util.Arrays.toString(train));
    assertTrue(sameSign == carrying, "the splits share the mixing (same sign per unit): " + sameSign + " of "
        + carrying + " " + java.util.Arrays.toString(test));
  }
}
