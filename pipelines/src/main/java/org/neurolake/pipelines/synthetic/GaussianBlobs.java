package org.neurolake.pipelines.synthetic;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.LakeTables;

/**
 * A generated classification set for training-engine tests and benchmarks: {@code classes}
 * Gaussian clusters in {@code dims} dimensions with unit noise, centres drawn at {@code spread}
 * standard deviations. Example i depends only on (seed, i), so any partitioning gives the same rows;
 * the last {@code testFraction} of the indices form the test split.
 */
public record GaussianBlobs(int examples, int dims, int classes, double spread, double testFraction, long seed)
    implements Serializable {
  public GaussianBlobs {
    if (examples < 1 || dims < 1 || classes < 2 || !(spread >= 0) || !(testFraction >= 0 && testFraction < 1)) {
      throw new IllegalArgumentException("bad blobs: " + examples + " examples, " + dims + " dims, " + classes
          + " classes, spread " + spread + ", test fraction " + testFraction);
    }
  }

  private float[][] centres() {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] c = new float[classes][dims];
    for (int k = 0; k < classes; k++) {
      for (int d = 0; d < dims; d++) {
        c[k][d] = (float) (spread * r.nextGaussian() / Math.sqrt(dims) * 3);
      }
    }
    return c;
  }

  public Row row(int i, float[][] centres) {
    SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i).split();
    int label = r.nextInt(classes);
    Float[] x = new Float[dims];
    for (int d = 0; d < dims; d++) {
      x[d] = (float) (centres[label][d] + r.nextGaussian());
    }
    String split = i >= Math.round(examples * (1 - testFraction)) ? "test" : "train";
    return RowFactory.create(split, x, label);
  }

  /** The examples as rows of the examples table's data schema. */
  public Dataset<Row> rows(SparkSession spark, int partitions) {
    float[][] c = centres();
    List<Integer> starts = new ArrayList<>();
    int per = (examples + partitions - 1) / partitions;
    for (int s = 0; s < examples; s += per) {
      starts.add(s);
    }
    int n = examples;
    var rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(starts, starts.size())
        .flatMap(s -> {
          List<Row> out = new ArrayList<>();
          for (int i = s; i < Math.min(n, s + per); i++) {
            out.add(row(i, c));
          }
          return out.iterator();
        });
    return spark.createDataFrame(rdd, LakeTables.EXAMPLES.dataSchema());
  }
}
