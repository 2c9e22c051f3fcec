package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The probe fit with Spark MLlib: one {@link L1Logistic} fit per C on the training features
 * (regParam = 1/(C n), {@link RegularizationGrid}), up to {@code parallelism} at once
 * ({@link GridFits}). For labeled sets too large for the driver's memory; every fit is ~maxIter
 * Spark jobs, so small problems are faster in-process ({@link LiblinearProbes}).
 */
public record MllibProbes(SparkSession spark, int maxIter, int parallelism) implements ProbeSolver {
  private static final StructType VECTORS = new StructType()
      .add("label", DataTypes.DoubleType, false)
      .add("features", SQLDataTypes.VectorType(), false);

  public MllibProbes {
    java.util.Objects.requireNonNull(spark, "spark");
    if (maxIter < 1 || parallelism < 1) {
      throw new IllegalArgumentException("need maxIter >= 1 and parallelism >= 1, got " + maxIter + ", "
          + parallelism);
    }
  }

  @Override
  public String name() {
    return "mllib";
  }

  @Override
  public List<LinearProbe> fit(ProbeExamples train, List<Double> grid) {
    Dataset<Row> data = vectors(spark, train).cache();
    try {
      return GridFits.map(grid, parallelism, c -> {
        LogisticRegressionModel m =
            L1Logistic.estimator(RegularizationGrid.regParam(c, train.size()), maxIter).fit(data);
        return new LinearProbe(m.coefficients().toArray(), m.intercept());
      });
    } finally {
      data.unpersist();
    }
  }

  /** Dense features as dense vectors (as before sparse examples), sparse ones as sparse vectors. */
  private static Dataset<Row> vectors(SparkSession spark, ProbeExamples d) {
    int[] y = d.labels();
    List<Row> rows = new ArrayList<>(d.size());
    for (int i = 0; i < d.size(); i++) {
      Vector v;
      if (d instanceof LabeledFeatures dense) {
        double[] x = new double[dense.features()];
        dense.nonZeros(i, (j, value) -> x[j] = value);
        v = Vectors.dense(x);
      } else {
        List<Integer> ix = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        d.nonZeros(i, (j, value) -> {
          ix.add(j);
          vs.add(value);
        });
        v = Vectors.sparse(d.features(), ix.stream().mapToInt(Integer::intValue).toArray(),
            vs.stream().mapToDouble(Double::doubleValue).toArray());
      }
      rows.add(RowFactory.create((double) y[i], v));
    }
    return spark.createDataFrame(rows, VECTORS);
  }
}
