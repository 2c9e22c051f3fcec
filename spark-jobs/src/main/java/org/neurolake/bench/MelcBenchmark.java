package org.neurolake.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.neurolake.melc.MelcCrossValidation;
import org.neurolake.melc.Standardizer;
import org.neurolake.melc.UciSet;
import org.neurolake.model.melc.BinnedCsDivergence;
import org.neurolake.model.melc.CsDivergence;
import org.neurolake.model.melc.DiscardCsDivergence;
import org.neurolake.model.melc.ExactCsDivergence;
import org.neurolake.model.melc.LabeledPoints;
import org.neurolake.model.melc.MelcSpec;
import picocli.CommandLine.Option;

/**
 * {@code bin/bench melc}: the MELC evaluation on the UCI sets (balanced accuracy of MELC exact and
 * of MLlib's LinearSVC and logistic regression, stratified CV as evaluate-melc runs it: one seeded
 * run, quality only), then the time of one objective-and-gradient evaluation, exact vs binned vs
 * sort-and-discard, at seeded random unit directions on the largest set (splice, train+test,
 * standardized) and on a generated two-class set of n = 20 000 (default), every speed-up the median
 * of the per-repetition ratios over rotated repetitions; max_obj_err_ratio is the worst observed
 * |D_approx - D_exact| over the approximation's certified bound (≤ 1 by the bound).
 */
public final class MelcBenchmark {
  static final class Options {
    @Option(names = "--datasets", split = ",") List<String> datasets = UciSet.ALL;
    @Option(names = "--data-dir") Path dataDir;
    @Option(names = "--generated", defaultValue = "20000") int generated;
    @Option(names = "--repetitions", defaultValue = "5") int repetitions;
    @Option(names = "--epsilon", defaultValue = "" + MelcSpec.DEFAULT_EPSILON) double epsilon;
    @Option(names = "--folds", defaultValue = "5") int folds;
    @Option(names = "--random-starts", defaultValue = "" + MelcSpec.DEFAULT_RANDOM_STARTS) int randomStarts;
    @Option(names = "--reg-grid", split = ",", defaultValue = "0.0001,0.001,0.01,0.1,1") List<Double> regGrid;
    @Option(names = "--mllib-max-iter", defaultValue = "100") int mllibMaxIter;
  }

  private MelcBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options o = BenchOptions.parse(new Options(), args);
    Path dir = o.dataDir != null ? o.dataDir
        : Path.of(System.getenv().getOrDefault("DATA_ROOT", "../shared/data")).resolve("uci");
    SparkSession spark = SparkSession.builder().master("local[2]").appName("bench melc")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    MelcCrossValidation.Config cv = new MelcCrossValidation.Config(o.folds, 3, o.regGrid, o.mllibMaxIter, 1,
        MelcSpec.builder(1).epsilon(o.epsilon).randomStarts(o.randomStarts).build());
    Map<String, List<Double>> bacc = new LinkedHashMap<>();
    for (String name : o.datasets) {
      for (MelcCrossValidation.ModelScore s : MelcCrossValidation.run(spark, UciSet.read(dir, name), cv)) {
        bacc.computeIfAbsent(s.model(), k -> new ArrayList<>()).add(s.balancedAccuracy());
        System.out.printf(Locale.ROOT, "%-34s %-13s bacc %.4f thresholds %.1f%n", name, s.model(), s.balancedAccuracy(),
            s.thresholds());
      }
    }
    BenchLine line = new BenchLine("melc").put("datasets", o.datasets.size())
        .put("mean_bacc_melc", mean(bacc.get(MelcCrossValidation.MELC)))
        .put("mean_bacc_binned", mean(bacc.get(MelcCrossValidation.MELC_BINNED)))
        .put("mean_bacc_discard", mean(bacc.get(MelcCrossValidation.MELC_DISCARD)))
        .put("mean_bacc_svm", mean(bacc.get(MelcCrossValidation.LINEAR_SVC)))
        .put("mean_bacc_logistic", mean(bacc.get(MelcCrossValidation.LOGISTIC)));

    UciSet splice = UciSet.read(dir, "splice");
    double[][] spliceX = Standardizer.fit(splice.x()).apply(splice.x());
    Timings generated = time(generated(o.generated, 10, 3), o.epsilon, o.repetitions);
    Timings largest = time(new LabeledPoints(spliceX, splice.y()), o.epsilon, o.repetitions);
    line.put("n_generated", o.generated).put("speedup_binned", generated.binned).put("speedup_discard",
        generated.discard).put("n_splice", splice.y().length).put("speedup_binned_splice", largest.binned)
        .put("speedup_discard_splice", largest.discard)
        .put("max_obj_err_ratio", Math.max(generated.worstErrorRatio, largest.worstErrorRatio))
        .put("repetitions", o.repetitions).put("epsilon", o.epsilon);
    System.out.println(line);
    spark.stop();
  }

  private record Timings(Spread binned, Spread discard, double worstErrorRatio) {}

  /** One objective-and-gradient evaluation per method per repetition, rotated; a new direction per repetition. */
  private static Timings time(LabeledPoints data, double epsilon, int repetitions) throws Exception {
    Map<String, CsDivergence> methods = new LinkedHashMap<>();
    methods.put("exact", new ExactCsDivergence(data, MelcSpec.DEFAULT_GAMMA));
    methods.put("binned", BinnedCsDivergence.local(data, MelcSpec.DEFAULT_GAMMA, epsilon));
    methods.put("discard", new DiscardCsDivergence(data, MelcSpec.DEFAULT_GAMMA, epsilon));
    List<double[]> directions = RandomDirections.gaussian(23, repetitions, data.dims());
    Map<String, RotatedRepetitions.Scenario<double[]>> scenarios = new LinkedHashMap<>();
    methods.forEach((name, m) -> scenarios.put(name, rep -> {
      long t0 = System.nanoTime();
      CsDivergence.Evaluation e = m.evaluate(directions.get(rep));
      return new double[] {(System.nanoTime() - t0) / 1e9, e.value(), e.errorBound()};
    }));
    System.out.printf(Locale.ROOT, "objective timing: n=%d, %d features, eps=%g%n", data.size(), data.dims(), epsilon);
    Map<String, List<double[]>> results = RotatedRepetitions.run(repetitions, scenarios);
    double worst = 0;
    for (String approx : List.of("binned", "discard")) {
      for (int r = 0; r < repetitions; r++) {
        double[] a = results.get(approx).get(r);
        double err = Math.abs(a[1] - results.get("exact").get(r)[1]);
        worst = Math.max(worst, a[2] > 0 ? err / a[2] : (err > 0 ? Double.MAX_VALUE : 0));
      }
    }
    double[] exact = seconds(results.get("exact"));
    return new Timings(Spread.ofRatios(exact, seconds(results.get("binned"))),
        Spread.ofRatios(exact, seconds(results.get("discard"))), worst);
  }

  private static double[] seconds(List<double[]> runs) {
    return runs.stream().mapToDouble(r -> r[0]).toArray();
  }

  /** Two classes of Gaussian rows, class 1 (40%) shifted by {@code shift} std along the first axis. */
  static LabeledPoints generated(int n, int dims, double shift) {
    Random r = new Random(7);
    double[][] x = new double[n][dims];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i < 2 ? i : (r.nextDouble() < 0.4 ? 1 : 0);
      for (int j = 0; j < dims; j++) {
        x[i][j] = r.nextGaussian() + (j == 0 ? shift * y[i] : 0);
      }
    }
    return new LabeledPoints(x, y);
  }

  private static double mean(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
  }
}
