package org.neurolake.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
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
 * {@code bin/bench backup-workers}: the same ~1M-parameter MLP and data, N = 8, on local[10], each
 * scenario for the same number of rounds from the same initial parameters:
 * (a) b=0, no stragglers; (b) b=0, each task 5x slower with probability 0.1; (c) b=2, same
 * stragglers; (d) b=2, none; (e) DL4J's ParameterAveragingTrainingMaster (one averaging per
 * round, same K and batch size) with the same stragglers, injected where its workers read data.
 * Round times are means; orchestration is the median of (round time - slowest accepted task's own
 * time); losses are test-set losses after the last round.
 */
public final class BackupWorkersBenchmark {
  static final int N = 8;
  static final int B = 2;

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
      double[] e = engineMs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      return e.length == 0 ? Double.NaN : e[e.length / 2];
    }
  }

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    // Per-worker by default: rounds then move the parameters only, a third of the averaged policy's
    // traffic, which is most of the engine's overhead (README, "The training engine").
    OptimizerStatePolicy policy = args.length > 1
        ? OptimizerStatePolicy.valueOf(args[1].toUpperCase(Locale.ROOT).replace('-', '_'))
        : OptimizerStatePolicy.PER_WORKER;
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
        + " optimizer state %s%n", spec.parameterCount(), N, localSteps, batch, rounds, policy);
    JavaRDD<ExampleShard> shardsN = ClassificationShards.of(train, N, 10);
    JavaRDD<ExampleShard> shardsNb = ClassificationShards.of(train, N + B, 10);
    shardsN.count();
    shardsNb.count();
    TrainingState init = BackupWorkerTrainer.initialState(spec);
    StragglerPolicy slow = new StragglerPolicy.Slowdown(0.1, 5.0);
    StragglerPolicy none = new StragglerPolicy.None();

    // Warm-up: JIT, ND4J, the executor-side model pool.
    run(spark, spec, test, shardsN, init, cfg("warmup", 0, none, localSteps, batch, 3, policy));

    Scenario a = run(spark, spec, test, shardsN, init, cfg("a", 0, none, localSteps, batch, rounds, policy));
    Scenario b = run(spark, spec, test, shardsN, init, cfg("b", 0, slow, localSteps, batch, rounds, policy));
    Scenario c = run(spark, spec, test, shardsNb, init, cfg("c", B, slow, localSteps, batch, rounds, policy));
    Scenario d = run(spark, spec, test, shardsNb, init, cfg("d", B, none, localSteps, batch, rounds, policy));
    Scenario e = dl4j(spark, spec, test, shardsN, init, localSteps, batch, rounds, slow, a);
    for (Scenario s : List.of(a, b, c, d, e)) {
      System.out.printf(Locale.ROOT, "%s: mean round %.0f ms, median engine overhead %.0f ms (%s), test loss"
          + " %.4f%n", s.name(), s.meanRoundMs(), s.medianEngineMs(), s.phaseMedians(), s.testLoss());
    }
    System.out.println(new BenchLine("backup-workers")
        .put("round_s_a", a.meanRoundMs() / 1000)
        .put("round_s_b", b.meanRoundMs() / 1000)
        .put("round_s_c", c.meanRoundMs() / 1000)
        .put("round_s_d", d.meanRoundMs() / 1000)
        .put("round_s_e", e.meanRoundMs() / 1000)
        .put("ratio_b_a", b.meanRoundMs() / a.meanRoundMs())
        .put("ratio_c_a", c.meanRoundMs() / a.meanRoundMs())
        .put("ratio_d_a", d.meanRoundMs() / a.meanRoundMs())
        .put("orchestration_ms", a.medianEngineMs())
        .put("loss_a", a.testLoss())
        .put("loss_c", c.testLoss()));
    spark.stop();
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

  /** DL4J's parameter averaging: one fit per round over N partitions of K minibatches each. */
  static Scenario dl4j(SparkSession spark, MlpSpec spec, DenseShard test, JavaRDD<ExampleShard> shardsN,
      TrainingState init, int k, int batch, int rounds, StragglerPolicy stragglers, Scenario a) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(N, batch)
        .batchSizePerWorker(batch).averagingFrequency(k).workerPrefetchNumBatches(0).saveUpdater(true)
        .repartionData(Repartition.Never).rddTrainingApproach(RDDTrainingApproach.Direct).collectTrainingStats(false)
        .rngSeed(7).build();
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(jsc, spec.dl4jConfiguration(), tm);
    net.getNetwork().setParams(Nd4j.createFromArray(init.parameters()));
    // The stragglers' extra time: the same policy, applied to the median task time of scenario (a).
    long typicalWorkMs = Math.round(a.roundMs().stream().mapToDouble(Double::doubleValue).sorted().skip(rounds / 2)
        .findFirst().orElseThrow() - a.medianEngineMs());
    List<Double> round = new ArrayList<>();
    for (int r = 0; r < rounds; r++) {
      int rr = r;
      JavaRDD<DataSet> data = shardsN.mapPartitionsWithIndex((idx, it) -> {
        ExampleShard shard = it.next();
        Thread.sleep(stragglers.delayMs(7, rr, idx, typicalWorkMs));
        List<DataSet> out = new ArrayList<>();
        for (int s = 0; s < k; s++) {
          Batch b = shard.batch((int) (((long) rr * k * batch + (long) s * batch) % shard.size()), batch);
          out.add(new DataSet(b.features(), b.labels()));
        }
        return out.iterator();
      }, true);
      long t0 = System.currentTimeMillis();
      net.fit(data);
      round.add((double) (System.currentTimeMillis() - t0));
    }
    float[] params = net.getNetwork().params().toFloatVector();
    return new Scenario("e-dl4j", round, List.of(), List.of(), testLoss(spec, params, test));
  }
}
