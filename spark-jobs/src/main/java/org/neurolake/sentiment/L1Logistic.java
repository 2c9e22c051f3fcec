package org.neurolake.sentiment;

import org.apache.spark.ml.classification.LogisticRegression;

/**
 * The probe's estimator: Spark MLlib's binary logistic regression with a pure L1 penalty
 * (elasticNetParam = 1) of strength regParam (see {@link RegularizationGrid} for C = 1/(regParam n)),
 * an unpenalized intercept and no standardization, as the paper's scikit-learn probe (which
 * penalizes the weights of the features as given).
 */
public final class L1Logistic {
  private L1Logistic() {}

  public static LogisticRegression estimator(double regParam, int maxIter) {
    if (!(regParam > 0) || maxIter < 1) {
      throw new IllegalArgumentException("need regParam > 0 and maxIter >= 1, got " + regParam + ", " + maxIter);
    }
    return new LogisticRegression().setFamily("binomial").setElasticNetParam(1.0).setRegParam(regParam)
        .setStandardization(false).setFitIntercept(true).setMaxIter(maxIter).setTol(1e-6);
  }
}
