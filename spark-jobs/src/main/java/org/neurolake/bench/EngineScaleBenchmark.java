package org.neurolake.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.mlp.DenseShard;
import org.neurolake.train.AggregationMode;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingState;

/**
 * {@code bin/bench engine-scale [--sizes 1000000,10000000,50000000] [--rounds 5] [--repetitions 5]}:
 * the engine alone at model sizes (a {@link FlatVectorSpec}: P float parameters, a trivial step,
 * no optimizer state), N = 8, b = 0, K = 1, on local[8], in the collect and the sharded
 * aggregation mode ({@link AggregationMode}, N slices), each size and mode a scenario of
 * {@code rounds} rounds, the scenarios in rotated repetitions ({@link RotatedRepetitions}) after one
 * warm-up round of each.
 *
 * <p>Per scenario: the round overhead, the median over its rounds of the round time minus the
 * slowest accepted task's own work ({@link BackupWorkerTrainer.RoundSummary#orchestrationMs()});
 * and the MB (10^6 bytes) the driver received per round: the task results' {@code resultSize}
 * (round tasks' results, and the slice tasks' small replies) plus, in the sharded mode, the blocks of
 * averaged slices the driver reads ({@link BackupWorkerTrainer.RoundSummary#averageBlockBytes()};
 * on local[8] they are read in the same JVM, on a cluster fetched from the executors). The line:
 * {@code overhead_ms_<size>} (sharded) and {@code overhead_ms_collect_<size>} with their spreads,
 * {@code overhead_ratio_<largest>_<smallest>} (sharded, per repetition),
 * {@code driver_mb_<size>_collect}, {@code driver_mb_<size>_sharded}, and
 * {@code driver_vectors_<largest>_sharded} (driver bytes per round / one parameter vector's).
 * Needs a large heap at 50 M (the default 8 g is enough for these sizes; {@code NEUROLAKE_BENCH_HEAP}).
 */
public final class EngineScaleBenchmark {
  static final int N = 8;

  record Options(List<Long> sizes, int rounds, int repetitions) {
    static Options parse(String[] args) {
      List<Long> sizes = List.of(1_000_000L, 10_000_000L, 50_000_000L);
      int rounds = 5;
      int reps = RotatedRepetitions.MIN_REPETITIONS;
      for (int i = 0; i < args.length; i++) {
        String v = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--sizes" -> sizes = java.util.Arrays.stream(require(args[i], v).split(",")).map(String::trim)
              .map(Long::parseLong).toList();
          case "--rounds" -> rounds = Integer.parseInt(require(args[i], v));
          case "--repetitions" -> reps = Integer.parseInt(require(args[i], v));
          default -> throw new IllegalArgumentException("unknown option " + args[i]
              + "; usage: engine-scale [--sizes p1,p2,...] [--rounds R] [--repetitions n]");
        }
        i++;
      }
      if (sizes.isEmpty() || rounds < 1) {
        throw new IllegalArgumentException("need >= 1 size and >= 1 round");
      }
      return new Options(sizes, rounds, reps);
    }

    private static String require(String option, String value) {
      if (value == null) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return value;
    }
  }

  /** One scenario's figures: median round overhead, and MB the driver received per round. */
  record Measured(double overheadMs, double driverMbPerRound) {}

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    SparkSession.Builder builder = SparkSession.builder().master("local[" + N + "]").appName("bench engine-scale")
        .config("spark.ui.enabled", "false")
        // The collect mode at 50 M receives N x 200 MB per round, above Spark's default cap of 1 GB.
        .config("spark.driver.maxResultSize", "0");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    DriverResultBytes bytes = new DriverResultBytes();
    spark.sparkContext().addSparkListener(bytes);
    List<ExampleShard> shardList = new ArrayList<>();
    for (int t = 0; t < N; t++) {
      shardList.add(new DenseShard(new float[16 * 2], new int[16], 2, 2));
    }
    JavaRDD<ExampleShard> shards = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(shardList, N).cache();
    shards.count();
    System.out.printf(Locale.ROOT, "engine-scale: sizes %s, N=%d, b=0, K=1, %d rounds per scenario, %d repetitions,"
        + " %d slices%n", o.sizes(), N, o.rounds(), o.repetitions(), N);

    Map<String, RotatedRepetitions.Scenario<Measured>> scenarios = new LinkedHashMap<>();
    for (long size : o.sizes()) {
      FlatVectorSpec spec = new FlatVectorSpec(size);
      for (AggregationMode mode : List.of(AggregationMode.COLLECT, AggregationMode.SHARDED)) {
        String name = name(mode, size);
        run(spark, bytes, shards, spec, mode, name + "-warmup", 1); // JIT, the executors' model pool
        scenarios.put(name, rep -> run(spark, bytes, shards, spec, mode, name + "-" + rep, o.rounds()));
      }
    }
    Map<String, List<Measured>> results = RotatedRepetitions.run(o.repetitions(), scenarios);
    results.forEach((name, ms) -> {
      for (int rep = 0; rep < ms.size(); rep++) {
        System.out.printf(Locale.ROOT, "repetition %d, %s: overhead %.0f ms, driver %.1f MB per round%n", rep + 1,
            name, ms.get(rep).overheadMs(), ms.get(rep).driverMbPerRound());
      }
    });
    BenchLine line = new BenchLine("engine-scale");
    for (long size : o.sizes()) {
      line.put("overhead_ms_" + label(size), overheads(results.get(name(AggregationMode.SHARDED, size))));
    }
    for (long size : o.sizes()) {
      line.put("overhead_ms_collect_" + label(size), overheads(results.get(name(AggregationMode.COLLECT, size))));
    }
    long smallest = o.sizes().get(0);
    long largest = o.sizes().get(o.sizes().size() - 1);
    line.put("overhead_ratio_" + label(largest) + "_" + label(smallest), Spread.ofRatios(
        results.get(name(AggregationMode.SHARDED, largest)).stream().mapToDouble(Measured::overheadMs).toArray(),
        results.get(name(AggregationMode.SHARDED, smallest)).stream().mapToDouble(Measured::overheadMs).toArray()));
    for (long size : o.sizes()) {
      for (AggregationMode mode : List.of(AggregationMode.COLLECT, AggregationMode.SHARDED)) {
        line.put("driver_mb_" + label(size) + "_" + mode.name().toLowerCase(Locale.ROOT),
            Spread.of(results.get(name(mode, size)), Measured::driverMbPerRound).median());
      }
    }
    line.put("driver_vectors_" + label(largest) + "_sharded",
        Spread.of(results.get(name(AggregationMode.SHARDED, largest)), Measured::driverMbPerRound).median()
            / (4.0 * largest / 1e6));
    line.put("repetitions", o.repetitions());
    System.out.println(line);
    spark.stop();
  }

  private static Spread overheads(List<Measured> perRepetition) {
    return Spread.of(perRepetition, Measured::overheadMs);
  }

  private static String name(AggregationMode mode, long size) {
    return mode.name().toLowerCase(Locale.ROOT) + "-" + label(size);
  }

  /** A size as a key part: 50000000 -> 50m, 4000 -> 4k. */
  static String label(long size) {
    if (size % 1_000_000 == 0) {
      return size / 1_000_000 + "m";
    }
    return size % 1000 == 0 ? size / 1000 + "k" : Long.toString(size);
  }

  static Measured run(SparkSession spark, DriverResultBytes bytes, JavaRDD<ExampleShard> shards, FlatVectorSpec spec,
      AggregationMode mode, String runId, int rounds) throws InterruptedException {
    TrainerConfig cfg = TrainerConfig.builder().runId("scale-" + runId).workers(N).backups(0).localSteps(1)
        .batchSize(8).rounds(rounds).learningRate(1e-3).aggregation(mode).build();
    BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, cfg, spec, FaultInjection.NONE);
    TrainingState init = BackupWorkerTrainer.initialState(spec);
    List<Double> overhead = new ArrayList<>();
    long[] blockBytes = {0};
    bytes.reset();
    trainer.train(shards, init, rounds, (s, st) -> {
      if (s.aggregation() != mode) {
        throw new IllegalStateException("round " + s.round() + " ran " + s.aggregation() + ", not " + mode);
      }
      overhead.add((double) s.orchestrationMs());
      blockBytes[0] += s.averageBlockBytes();
    });
    long tasks = (long) rounds * (N + (mode == AggregationMode.SHARDED ? cfg.slices() : 0));
    double mb = (bytes.awaitBytes(tasks) + blockBytes[0]) / 1e6 / rounds;
    return new Measured(Spread.of(overhead.stream().mapToDouble(Double::doubleValue).toArray()).median(), mb);
  }
}
