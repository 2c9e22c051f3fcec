package org.neurolake.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.TrainableModel;
import org.neurolake.model.mlp.DenseShard;
import org.neurolake.model.mlp.MlpSpec;
import org.neurolake.pipelines.synthetic.GaussianBlobs;
import org.neurolake.train.BackupWorkerTrainer;
import org.neurolake.train.ClassificationShards;
import org.neurolake.train.FaultInjection;
import org.neurolake.train.OptimizerStatePolicy;
import org.neurolake.train.StragglerPolicy;
import org.neurolake.train.TrainerConfig;
import org.neurolake.train.TrainingState;

/**
 * {@code bin/bench backup-workers [rounds] [optimizer-state] [sleep|busy] [repetitions]}: the same
 * ~1M-parameter MLP and data, N = 8, on local[10], each scenario for the same number of rounds from
 * the same initial parameters: (a) b=0, no stragglers; (b) b=0, each task 5x slower with
 * probability 0.1; (c) b=2, same stragglers; (d) b=2, none; (e) DL4J's
 * ParameterAveragingTrainingMaster (one averaging per round, same K and batch size) with stragglers
 * from the same policy, each delay proportional to that DL4J task's own measured work.
 *
 * <p>The five scenarios run {@code repetitions} times (default 5) in rotated order
 * ({@link RotatedRepetitions}); each ratio is taken within a repetition and published as the median
 * with its range. Stragglers sleep ({@code sleep}, default) or burn their core ({@code busy}: on a
 * machine with fewer cores than tasks a sleeping straggler lends its core to the others). The
 * optimizer-state policy defaults to the engine's own default. Round times are means over a
 * scenario's rounds; orchestration is the median over scenario (a)'s rounds of (round time - the
 * slowest accepted task's own work), so it counts the executors' reading of the broadcast and
 * packing of results too; losses are test-set losses after the last round of the first repetition
 * (the b = 0 arithmetic is the same in every repetition).
 */
public final class BackupWorkersBenchmark {
  static final int N = 8;
  static final int B = 2;
  static final List<String> SCENARIOS = List.of("a", "b", "c", "d", "e");

  record Options(int rounds, OptimizerStatePolicy policy, boolean busy, int repetitions) {
    static Options parse(String[] args) {
      int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
      OptimizerStatePolicy policy = args.length > 1 && !args[1].equals("default")
          ? OptimizerStatePolicy.valueOf(args[1].toUpperCase(Locale.ROOT).replace('-', '_'))
          : TrainerConfig.builder().build().optimizerState();
      boolean busy = args.length > 2 && switch (args[2]) {
        case "busy" -> true;
        case "sleep" -> false;
        default -> throw new IllegalArgumentException("stragglers must be sleep or busy, not " + args[2]);
      };
      int reps = args.length > 3 ? Integer.parseInt(args[3]) : RotatedRepetitions.MIN_REPETITIONS;
      return new Options(rounds, policy, busy, reps);
    }
  }

  record Scenario(String name, List<Double> roundMs, List<Double> engineMs,
      List<BackupWorkerTrainer.EngineTimes> phases, double testLoss) {
    /** Medians of the engine's phases, to say where the overhead goes. */
    String phaseMedians() {
      return String.format(Locale.ROOT, "submit %d ms, result lag %d ms, finish %d ms",
          median(phases.stream().mapToLong(BackupWorkerTrainer.EngineTimes::submitMs).toArray()),
          median(phases.stream().mapToLong(BackupWorkerTrainer.EngineTimes::resultLagMs).toArray()),
          median(phases.stream().mapToLong(BackupWorkerTrainer.EngineTimes::finishMs).toArray()));
    }

    private static long median(long[] v) {
      java.util.Arrays.sort(v);
      return v.length == 0 ? -1 : v[v.length / 2];
    }

    double meanRoundMs() {
      return roundMs.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    double medianEngineMs() {
      return engineMs.isEmpty() ? Double.NaN : Spread.of(engineMs.stream().mapToDouble(Double::doubleValue).toArray())
          .median();
    }
  }

  public static void main(String[] args) throws Exception {
    Options o = Options.parse(args);
    int localSteps = 4;
    int batch = 64;
    SparkSession.Builder builder = SparkSession.builder().master("local[" + (N + B) + "]")
        .appName("bench backup-workers").config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(builder::config);
    SparkSession spark = builder.getOrCreate();
    GaussianBlobs blobs = new GaussianBlobs(40_000, 256, 10, 1.0, 0.1, 1);
    Dataset<Row> all = blobs.rows(spark, 8).cache();
    Dataset<Row> train = all.where("split = 'train'");
    DenseShard test = ClassificationShards.collect(all.where("split = 'test'"), 10, 4000);
    MlpSpec spec = new MlpSpec(256, List.of(1024, 768), 10, 1e-3, 0.9, 0.999, 1e-8, 0, 0, 1);
    System.out.printf(Locale.ROOT, "model: MLP 256-1024-768-10, %d parameters; N=%d, K=%d, batch %d, %d rounds,"
        + " optimizer state %s, %s stragglers, %d repetitions%n", spec.parameterCount(), N, localSteps, batch,
        o.rounds(), o.policy(), o.busy() ? "busy" : "sleeping", o.repetitions());
    JavaRDD<ExampleShard> shardsN = ClassificationShards.of(train, N, 10);
    JavaRDD<ExampleShard> shardsNb = ClassificationShards.of(train, N + B, 10);
    shardsN.count();
    shardsNb.count();
    TrainingState init = BackupWorkerTrainer.initialState(spec);
    StragglerPolicy slowSleeping = new StragglerPolicy.Slowdown(0.1, 5.0);
    StragglerPolicy slow = o.busy() ? new StragglerPolicy.Busy(slowSleeping) : slowSleeping;
    StragglerPolicy none = new StragglerPolicy.None();

    // Warm-up: JIT, ND4J, the executor-side model pool, DL4J's first fit.
    run(spark, spec, test, shardsN, init, cfg("warmup", 0, none, localSteps, batch, 3, o.policy()));
    dl4j(spark, spec, test, shardsN, init, localSteps, batch, 2, none);

    Map<String, RotatedRepetitions.Scenario<Scenario>> scenarios = new LinkedHashMap<>();
    scenarios.put("a", rep -> run(spark, spec, test, shardsN, init, cfg("a", 0, none, localSteps, batch, o.rounds(),
        o.policy())));
    scenarios.put("b", rep -> run(spark, spec, test, shardsN, init, cfg("b", 0, slow, localSteps, batch, o.rounds(),
        o.policy())));
    scenarios.put("c", rep -> run(spark, spec, test, shardsNb, init, cfg("c", B, slow, localSteps, batch, o.rounds(),
        o.policy())));
    scenarios.put("d", rep -> run(spark, spec, test, shardsNb, init, cfg("d", B, none, localSteps, batch, o.rounds(),
        o.policy())));
    scenarios.put("e", rep -> dl4j(spark, spec, test, shardsN, init, localSteps, batch, o.rounds(), slow));
    Map<String, List<Scenario>> results = RotatedRepetitions.run(o.repetitions(), scenarios);
    for (int rep = 0; rep < o.repetitions(); rep++) {
      for (String name : SCENARIOS) {
        Scenario s = results.get(name).get(rep);
        System.out.printf(Locale.ROOT, "repetition %d, %s: mean round %.0f ms, median engine overhead %.0f ms (%s),"
            + " test loss %.4f%n", rep + 1, s.name(), s.meanRoundMs(), s.medianEngineMs(), s.phaseMedians(),
            s.testLoss());
      }
    }
    double[] a = meanRounds(results.get("a"));
    BenchLine line = new BenchLine("backup-workers");
    for (String name : SCENARIOS) {
      line.put("round_s_" + name, Spread.of(meanRounds(results.get(name))).median() / 1000);
    }
    line.put("ratio_b_a", Spread.ofRatios(meanRounds(results.get("b")), a))
        .put("ratio_c_a", Spread.ofRatios(meanRounds(results.get("c")), a))
        .put("ratio_d_a", Spread.ofRatios(meanRounds(results.get("d")), a))
        .put("ratio_e_c", Spread.ofRatios(meanRounds(results.get("e")), meanRounds(results.get("c"))))
        .put("orchestration_ms", Spread.of(results.get("a").stream().flatMap(s -> s.engineMs().stream())
            .mapToDouble(Double::doubleValue).toArray()).median())
        .put("loss_a", results.get("a").get(0).testLoss())
        .put("loss_c", results.get("c").get(0).testLoss())
        .put("repetitions", o.repetitions())
        .put("busy_stragglers", o.busy() ? 1 : 0)
        .put("averaged_state", o.policy() == OptimizerStatePolicy.AVERAGED ? 1 : 0);
    System.out.println(line);
    spark.stop();
  }

  private static double[] meanRounds(List<Scenario> perRepetition) {
    return perRepetition.stream().mapToDouble(Scenario::meanRoundMs).toArray();
  }

  static TrainerConfig cfg(String name, int backups, StragglerPolicy stragglers, int k, int batch, int rounds,
      OptimizerStatePolicy policy) {
    return TrainerConfig.builder().runId("bench-" + name).workers(N).backups(backups).localSteps(k).batchSize(batch)
        .rounds(rounds).learningRate(1e-3).seed(7).stragglers(stragglers).optimizerState(policy).build();
  }

  static Scenario run(SparkSession spark, MlpSpec spec, DenseShard test, JavaRDD<ExampleShard> shards,
      TrainingState init, TrainerConfig cfg) throws InterruptedException {
    BackupWorkerTrainer trainer = new BackupWorkerTrainer(spark, cfg, spec, FaultInjection.NONE);
    List<Double> round = new ArrayList<>();
    List<Double> engine = new ArrayList<>();
    List<BackupWorkerTrainer.EngineTimes> phases = new ArrayList<>();
    TrainingState end = trainer.train(shards, init, cfg.rounds(), (s, st) -> {
      round.add((double) s.wallMs());
      engine.add((double) s.orchestrationMs());
      phases.add(s.engine());
    });
    return new Scenario(cfg.runId(), round, engine, phases, testLoss(spec, end.parameters(), test));
  }

  static double testLoss(MlpSpec spec, float[] params, DenseShard test) {
    TrainableModel m = spec.build();
    m.setParameters(params);
    return m.evaluate(test.batch(0, test.size())).get("loss");
  }

  /**
   * DL4J's parameter averaging: one fit per round over N partitions of K minibatches each. A task's
   * straggler delay is decided by the same policy, seed, round and task index as the engine's, on
   * that task's own work. DL4J's worker takes a minibatch, asks whether another follows, then fits
   * it; so the time from its first minibatch taken to the iterator found exhausted is K - 1 fits,
   * scaled by K / (K - 1) to estimate its K. The data is not persisted ({@code storageLevel(null)}):
   * DL4J first counts the data in a job of its own, then fits in a second one that, persisted, would
   * never run this code; the counting pass takes no time, so a delay proportional to the work
   * (the benchmark's {@code slow} policy) is spent in the fitting pass only.
   */
  static Scenario dl4j(SparkSession spark, MlpSpec spec, DenseShard test, JavaRDD<ExampleShard> shardsN,
      TrainingState init, int k, int batch, int rounds, StragglerPolicy stragglers) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(N, batch)
        .batchSizePerWorker(batch).averagingFrequency(k).workerPrefetchNumBatches(0).saveUpdater(true)
        .repartionData(Repartition.Never).rddTrainingApproach(RDDTrainingApproach.Direct).collectTrainingStats(false)
        .storageLevel(null).rngSeed(7).build();
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(jsc, spec.dl4jConfiguration(), tm);
    net.getNetwork().setParams(Nd4j.createFromArray(init.parameters()));
    LongAccumulator workMs = spark.sparkContext().longAccumulator("dl4j task work ms");
    LongAccumulator delayMs = spark.sparkContext().longAccumulator("dl4j injected delay ms");
    List<Double> round = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      int rr = r;
      JavaRDD<DataSet> data = shardsN.mapPartitionsWithIndex((idx, it) -> {
        ExampleShard shard = it.next();
        List<DataSet> out = new ArrayList<>();
        for (int s = 0; s < k; s++) {
          Batch b = shard.batch((int) (((long) rr * k * batch + (long) s * batch) % shard.size()), batch);
          out.add(new DataSet(b.features(), b.labels()));
        }
        return new DelayedEnd<>(out.iterator(), elapsed -> {
          long work = k > 1 ? elapsed * k / (k - 1) : elapsed;
          long delay = stragglers.delayMs(7, rr, idx, work);
          workMs.add(work);
          delayMs.add(delay);
          stragglers.spend(delay, () -> false);
        });
      }, true);
      long t0 = System.currentTimeMillis();
      net.fit(data);
      round.add((double) (System.currentTimeMillis() - t0));
    }
    System.out.printf(Locale.ROOT, "DL4J, %d rounds: %d task passes (counting and fitting), mean work %.0f ms,"
        + " injected delay %d ms in all%n", rounds, workMs.count(), (double) workMs.value() / Math.max(1,
        workMs.count()), delayMs.value());
    float[] params = net.getNetwork().params().toFloatVector();
    return new Scenario("e-dl4j", round, List.of(), List.of(), testLoss(spec, params, test));
  }

  /** Called once with the milliseconds from the first element taken to the end being asked for. */
  interface EndHook extends java.io.Serializable {
    void atEnd(long elapsedMs);
  }

  /** An iterator that calls {@code hook} when it is first found exhausted, timed from its first element. */
  static final class DelayedEnd<T> implements Iterator<T> {
    private final Iterator<T> inner;
    private final EndHook hook;
    private long firstTakenMs = -1;
    private boolean ended;

    DelayedEnd(Iterator<T> inner, EndHook hook) {
      this.inner = inner;
      this.hook = hook;
    }

    @Override
    public boolean hasNext() {
      boolean more = inner.hasNext();
      if (!more && !ended) {
        ended = true;
        hook.atEnd(firstTakenMs < 0 ? 0 : System.currentTimeMillis() - firstTakenMs);
      }
      return more;
    }

    @Override
    public T next() {
      if (!inner.hasNext()) {
        throw new NoSuchElementException();
      }
      if (firstTakenMs < 0) {
        firstTakenMs = System.currentTimeMillis();
      }
      return inner.next();
    }
  }
}
