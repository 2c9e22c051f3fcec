package org.neurolake.sentiment;

/** The sentiment unit's values on the test documents, by class: what its histogram plot draws. */
public record UnitHistogram(int unit, double[] negative, double[] positive) {
  public UnitHistogram {
    negative = negative.clone();
    positive = positive.clone();
  }

  public static UnitHistogram of(LabeledFeatures test, int unit) {
    return new UnitHistogram(unit, test.unit(unit, 0), test.unit(unit, 1));
  }

  @Override
  public double[] negative() {
    return negative.clone();
  }

  @Override
  public double[] positive() {
    return positive.clone();
  }
}
