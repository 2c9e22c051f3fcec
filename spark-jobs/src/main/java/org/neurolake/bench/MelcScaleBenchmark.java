package org.neurolake.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.neurolake.melc.DistributedBinnedObjective;
import org.neurolake.melc.LabeledVector;
import org.neurolake.model.melc.CsDivergence;
import org.neurolake.model.melc.ExactCsDivergence;
import org.neurolake.model.melc.LabeledPoints;
import org.neurolake.model.melc.MelcSpec;
import org.neurolake.pipelines.synthetic.GaussianBlobs;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/bench melc-scale [n1 n2]}: one distributed binned objective-and-gradient evaluation
 * (one Spark aggregation over cached rows) on generated two-class data of n1 and n2 rows
 * (GaussianBlobs, default 10⁶ and 10⁷, 8 features), timed over rotated repetitions at seeded
 * random directions: s1, s2 the median seconds, scaling the median of the per-repetition s2/s1
 * (linear would be n2/n1). obj_rel_err: on a 10⁴-row sample, the distributed binned objective
 * against the exact one, relative to |D_exact|; bound_rel_err is the certified bound on that error,
 * relative the same way.
 */
public final class MelcScaleBenchmark {
  static final class Options {
    @Parameters(index = "0", defaultValue = "1000000") int n1;
    @Parameters(index = "1", defaultValue = "10000000") int n2;
    @Option(names = "--dims", defaultValue = "8") int dims;
    @Option(names = "--repetitions", defaultValue = "5") int repetitions;
    @Option(names = "--epsilon", defaultValue = "" + MelcSpec.DEFAULT_EPSILON) double epsilon;
    @Option(names = "--partitions", defaultValue = "8") int partitions;
    @Option(names = "--sample", defaultValue = "10000") int sample;
  }

  private MelcScaleBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options o = BenchOptions.parse(new Options(), args);
    SparkSession spark = SparkSession.builder().master("local[2]").appName("bench melc-scale")
        .config("spark.ui.enabled", "false").config("spark.local.dir", BenchWork.fresh("melc-scale").toString())
        .getOrCreate();
    Map<String, DistributedBinnedObjective> objectives = new LinkedHashMap<>();
    List<JavaRDD<LabeledVector>> cached = new ArrayList<>();
    for (int n : new int[] {o.n1, o.n2}) {
      GaussianBlobs blobs = new GaussianBlobs(n, o.dims, 2, 1.0, 0.0, 1);
      JavaRDD<LabeledVector> rows = DistributedBinnedObjective.binaryRows(blobs.rows(spark, o.partitions), 1);
      long count = rows.count();
      System.out.printf(Locale.ROOT, "n=%d: %d rows cached in %d partitions%n", n, count, rows.getNumPartitions());
      objectives.put("n" + n, DistributedBinnedObjective.over(rows, o.dims, MelcSpec.DEFAULT_GAMMA, o.epsilon));
      cached.add(rows);
    }
    List<double[]> directions = RandomDirections.gaussian(29, o.repetitions, o.dims);
    Map<String, RotatedRepetitions.Scenario<Double>> scenarios = new LinkedHashMap<>();
    objectives.forEach((name, objective) -> scenarios.put(name, rep -> {
      long t0 = System.nanoTime();
      objective.evaluate(directions.get(rep));
      return (System.nanoTime() - t0) / 1e9;
    }));
    Map<String, List<Double>> seconds = RotatedRepetitions.run(o.repetitions, scenarios);
    double[] s1 = seconds.get("n" + o.n1).stream().mapToDouble(Double::doubleValue).toArray();
    double[] s2 = seconds.get("n" + o.n2).stream().mapToDouble(Double::doubleValue).toArray();

    // The error against the exact objective, on a sample small enough for the O(n²) sum.
    List<LabeledVector> sample = cached.get(0).takeSample(false, Math.min(o.sample, o.n1), 3);
    LabeledPoints points = new LabeledPoints(sample.stream().map(LabeledVector::features).toArray(double[][]::new),
        sample.stream().mapToInt(LabeledVector::label).toArray());
    JavaRDD<LabeledVector> sampleRdd = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(sample, o.partitions).cache();
    DistributedBinnedObjective onSample = DistributedBinnedObjective.over(sampleRdd, o.dims, MelcSpec.DEFAULT_GAMMA,
        o.epsilon);
    double worstRel = 0;
    double worstBoundRel = 0;
    for (double[] u : directions) {
      CsDivergence.Evaluation binned = onSample.evaluate(u);
      double exact = new ExactCsDivergence(points, MelcSpec.DEFAULT_GAMMA).evaluate(u).value();
      worstRel = Math.max(worstRel, Math.abs(binned.value() - exact) / Math.abs(exact));
      worstBoundRel = Math.max(worstBoundRel, binned.errorBound() / Math.abs(exact));
    }
    BenchLine line = new BenchLine("melc-scale").put("n1", o.n1).put("s1", Spread.of(s1).median())
        .put("n2", o.n2).put("s2", Spread.of(s2).median()).put("scaling", Spread.ofRatios(s2, s1))
        .put("obj_rel_err", worstRel).put("bound_rel_err", worstBoundRel).put("sample", points.size())
        .put("epsilon", o.epsilon).put("repetitions", o.repetitions);
    System.out.println(line);
    spark.stop();
  }
}
