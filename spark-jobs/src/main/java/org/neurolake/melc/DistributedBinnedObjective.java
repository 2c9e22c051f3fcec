package org.neurolake.melc;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.neurolake.model.melc.BinnedCsDivergence;
import org.neurolake.model.melc.BinnedStatistics;
import org.neurolake.model.melc.ClassMoments;
import org.neurolake.model.melc.CsDivergence;
import org.neurolake.pipelines.table.Columns;

/**
 * MELC's binned objective over data of any size: the per-class histograms of {@code u·x} with each
 * bin's feature sums ({@link BinnedStatistics}) are additive, so each objective evaluation is one
 * Spark aggregation ({@code treeAggregate}: a histogram per partition, merged), after which the
 * driver computes D, its gradient (through the per-bin feature sums) and the certified error
 * bound exactly as {@link BinnedCsDivergence} does for local rows. The class moments that give the
 * bandwidth (and the bin width) for any direction are aggregated once, up front. When the bound
 * misses ε the driver asks for a finer grid: one more aggregation (rare: classes far apart).
 *
 * <p>Binary problems: label {@code positive} is class B (1), every other label class A (0).
 */
public final class DistributedBinnedObjective implements CsDivergence {
  /** Depth of the tree aggregation (Spark's default). */
  private static final int TREE_DEPTH = 2;

  private final JavaRDD<LabeledVector> rows;
  private final BinnedCsDivergence divergence;
  private final ClassMoments moments;
  private long aggregations;

  private DistributedBinnedObjective(JavaRDD<LabeledVector> rows, int dims, double gamma, double epsilon) {
    this.rows = rows;
    this.moments = rows.treeAggregate(new ClassMoments(dims), (m, r) -> m.add(r.features(), r.label()),
        ClassMoments::merge, TREE_DEPTH);
    this.divergence = new BinnedCsDivergence(moments, this::histogram, gamma, epsilon);
  }

  /**
   * Over binary rows (labels 0/1), which the caller has cached if it evaluates often; aggregates
   * the class moments now.
   */
  public static DistributedBinnedObjective over(JavaRDD<LabeledVector> binaryRows, int dims, double gamma,
      double epsilon) {
    return new DistributedBinnedObjective(binaryRows, dims, gamma, epsilon);
  }

  /**
   * The {@code examples} rows ({@code features}, {@code label}) as cached binary rows: label
   * {@code positive} is 1, the others 0.
   */
  public static JavaRDD<LabeledVector> binaryRows(Dataset<Row> examples, int positive) {
    JavaRDD<LabeledVector> rows = examples.select(col(Columns.FEATURES), col(Columns.LABEL)).javaRDD().map(r -> {
      List<Float> f = r.getList(0);
      double[] x = new double[f.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = f.get(i);
      }
      return new LabeledVector(x, r.getInt(1) == positive ? 1 : 0);
    });
    return rows.persist(StorageLevel.MEMORY_AND_DISK());
  }

  private BinnedStatistics histogram(double[] u, double width) {
    aggregations++;
    int dims = moments.dims();
    return rows.treeAggregate(new BinnedStatistics(width, dims), (s, r) -> {
      double[] x = r.features();
      double p = 0;
      for (int i = 0; i < x.length; i++) {
        p += u[i] * x[i];
      }
      return s.add(x, r.label(), p);
    }, BinnedStatistics::merge, TREE_DEPTH);
  }

  @Override
  public Evaluation evaluate(double[] u) {
    return divergence.evaluate(u);
  }

  /** Class moments: the counts and the bandwidth's ingredients. */
  public ClassMoments moments() {
    return moments;
  }

  /** Spark aggregations for histograms so far (one per evaluation, more when a grid was refined). */
  public long aggregations() {
    return aggregations;
  }
}
