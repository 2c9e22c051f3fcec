package org.neurolake.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.neurolake.jobs.JobRunner;
import org.neurolake.jobs.ProbeSentimentJob;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.sentiment.BySplit;
import org.neurolake.sentiment.LabeledFeatures;
import org.neurolake.sentiment.ProbeSolverChoice;
import org.neurolake.sentiment.RegularizationGrid;
import org.neurolake.sentiment.SentimentProbe;
import org.neurolake.sentiment.SentimentProbeResult;

/**
 * {@code bin/bench probe [LAKE RUN_ID | latent[:TRAIN:FEATURES] | synthetic[:TRAIN:FEATURES]] [SEEDS] [REPETITIONS]}: the
 * sentiment probe of {@code probe-sentiment} on SST-2 (the paper's full grid C = 2^-8..2^0, C chosen
 * on dev, and the data-efficiency curve with SEEDS subsets per size, default 5; no baselines),
 * fitted in-process with LIBLINEAR and with Spark MLlib in one JVM, REPETITIONS times each (default
 * 5) in rotated order ({@link RotatedRepetitions}). The features are run RUN_ID's {@code sst2}
 * features in LAKE (after {@code extract-features}); {@code latent} (the default) and {@code synthetic}
 * generate features of SST-2's shape (6,920 / 872 / 1,821 examples × 512) so the benchmark runs
 * without a trained model: {@code latent} dense correlated ones with the label spread over every
 * unit ({@link LatentFactorFeatures}), {@code synthetic} one unit carrying the label among pure
 * noise (easy for MLlib: few OWL-QN iterations). {@code latent:64:16} is a smoke size.
 * speedup = s_mllib / s_inprocess per repetition, with its spread; acc_* are the test accuracies of
 * the probe on all training examples (deterministic, from the first repetition).
 */
public final class ProbeBenchmark {
  static final int PARALLELISM = 4;
  static final int MAX_ITER = 100;

  public static void main(String[] args) throws Exception {
    String source = args.length > 0 ? args[0] : "latent";
    FeatureSource kind = FeatureSource.of(source);
    int argAt = kind == FeatureSource.LAKE ? 2 : 1;
    int seeds = args.length > argAt ? Integer.parseInt(args[argAt]) : 5;
    int repetitions = args.length > argAt + 1 ? Integer.parseInt(args[argAt + 1]) : RotatedRepetitions.MIN_REPETITIONS;
    SparkSession spark = JobRunner.session("bench probe");
    BySplit<LabeledFeatures> data;
    boolean synthetic = kind != FeatureSource.LAKE;
    if (synthetic) {
      String[] p = source.split(":");
      int train = p.length > 1 ? Integer.parseInt(p[1]) : 6920;
      int features = p.length > 2 ? Integer.parseInt(p[2]) : 512;
      LatentFactorFeatures latent = new LatentFactorFeatures(features);
      java.util.function.BiFunction<Integer, Long, LabeledFeatures> generate = kind == FeatureSource.LATENT
          ? latent::generate : (n, seed) -> synthetic(n, features, seed);
      data = new BySplit<>(generate.apply(train, 1L), generate.apply(Math.max(8, train * 872 / 6920), 2L),
          generate.apply(Math.max(8, train * 1821 / 6920), 3L));
    } else {
      data = ProbeSentimentJob.fixedSplits(spark, Lake.parse(args[0]), args[1], "sst2");
    }
    System.out.printf(Locale.ROOT, "probe on %d/%d/%d examples x %d features (%s), %d seeds per size%n",
        data.train().size(), data.dev().size(), data.test().size(), data.train().features(),
        synthetic ? kind.name().toLowerCase(Locale.ROOT) : "run " + args[1], seeds);
    List<Double> grid = RegularizationGrid.paperGrid();
    Map<String, RotatedRepetitions.Scenario<Timed>> solvers = new LinkedHashMap<>();
    solvers.put("inprocess", rep -> time(spark, data, grid, seeds, ProbeSolverChoice.LIBLINEAR));
    solvers.put("mllib", rep -> time(spark, data, grid, seeds, ProbeSolverChoice.MLLIB));
    Map<String, List<Timed>> runs = RotatedRepetitions.run(repetitions, solvers);
    spark.stop();
    double[] inProcess = runs.get("inprocess").stream().mapToDouble(Timed::seconds).toArray();
    double[] mllib = runs.get("mllib").stream().mapToDouble(Timed::seconds).toArray();
    System.out.println(new BenchLine("probe")
        .put("s_inprocess", Spread.of(inProcess))
        .put("s_mllib", Spread.of(mllib))
        .put("speedup", Spread.ofRatios(mllib, inProcess))
        .put("acc_inprocess", runs.get("inprocess").get(0).testAccuracy())
        .put("acc_mllib", runs.get("mllib").get(0).testAccuracy())
        .put("train_examples", data.train().size())
        .put("features", data.train().features())
        .put("seeds", seeds)
        .put("synthetic", synthetic ? 1 : 0)
        .put("feature_source", kind.code())
        .put("repetitions", repetitions));
  }

  /**
   * Where the features come from, and its code in the BENCH line's {@code feature_source}: 0 a run's
   * {@code sst2} features in a lake, 1 {@code synthetic} (one unit carries the label, the others are
   * pure noise), 2 {@code latent} ({@link LatentFactorFeatures}: dense, correlated, the label spread
   * over every unit, like an mLSTM's states).
   */
  enum FeatureSource {
    LAKE(0), SYNTHETIC(1), LATENT(2);

    private final int code;

    FeatureSource(int code) {
      this.code = code;
    }

    int code() {
      return code;
    }

    static FeatureSource of(String arg) {
      String name = arg.split(":")[0];
      return name.equals("synthetic") ? SYNTHETIC : name.equals("latent") ? LATENT : LAKE;
    }
  }

  record Timed(double seconds, double testAccuracy) {}

  static Timed time(SparkSession spark, BySplit<LabeledFeatures> data, List<Double> grid, int seeds,
      ProbeSolverChoice solver) {
    long t0 = System.nanoTime();
    SentimentProbeResult r = new SentimentProbe(grid, seeds, MAX_ITER, PARALLELISM, 2, solver)
        .apply(spark, "sst2", data, Optional.empty(), line -> {});
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "%s: %.1f s, test accuracy %.4f (C = %s)%n", solver.mode(), seconds,
        r.probe().testAccuracy(), r.probe().c());
    return new Timed(seconds, r.probe().testAccuracy());
  }

  /** {@code n} examples: unit 0 carries the label (+-1 plus unit noise), the rest unit noise; labels alternate. */
  static LabeledFeatures synthetic(int n, int features, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] x = new float[n][features];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      for (int j = 0; j < features; j++) {
        x[i][j] = (float) gaussian(rng);
      }
      x[i][0] += y[i] == 1 ? 1 : -1;
    }
    return new LabeledFeatures(x, y);
  }

  private static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
