package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.dl4j.Dl4jNetworkSpec;
import org.neurolake.model.mlp.DenseShard;

/**
 * The engine with b = 0 against DL4J's own {@link ParameterAveragingTrainingMaster} on the same
 * {@code DL4J_NETWORK} configuration: N workers, each with the same examples in the same order, K
 * minibatches of B between averagings, parameters and updater state averaged. After R rounds the
 * parameters, the updater state and the test loss agree up to float rounding, with one documented
 * exception (a ComputationGraph with an updater that reads the iteration count, below).
 *
 * <p>What makes the two runs the same computation (read from DL4J 1.0.0-M2's
 * ParameterAveragingTrainingMaster / ParameterAveragingTrainingWorker / ExecuteWorker*FlatMap):
 * <ul>
 *   <li>One DL4J {@code fit} per round, on an RDD of N partitions x K DataSets of B examples each, built
 *       from the engine's shards at the engine's batch positions: with {@code rddDataSetNumExamples} =
 *       {@code batchSizePerWorker} = B and {@code averagingFrequency} = K, a split holds N*K DataSet
 *       objects, so the fit is one split, not randomly re-split; {@code Repartition.Never} keeps partition
 *       i = shard i; {@code RDDTrainingApproach.Direct} trains on the RDD itself (no export); no
 *       prefetch, so each worker fits its DataSets in order.</li>
 *   <li>Each DL4J worker starts from the broadcast parameters and updater state (saveUpdater), fits its
 *       K minibatches, returns parameters and updater state; the driver sums them and divides by the
 *       count: the engine's averaging. DL4J then adds K to the configuration's iteration count, which the
 *       next round's workers start from: the engine's step r*K.</li>
 *   <li>The learning rate is constant and equal to the JSON's, so the engine's {@code setLearningRate}
 *       changes nothing.</li>
 * </ul>
 * What remains different: DL4J sums the workers' vectors in float in a tree, the engine in double;
 * hence agreement to float rounding, not bit for bit.
 *
 * <p>The exception: DL4J's graph workers build their network from
 * {@code ComputationGraphConfiguration.clone()}, and in 1.0.0-M2 that clone drops the iteration count
 * (MultiLayerConfiguration's keeps it). So every round's graph workers start at iteration 0: an updater
 * that reads it (Adam's bias correction) restarts each round under DL4J's trainer, while the engine
 * continues at r*K as {@code TrainableModel} requires. For that case the test shows that this is the only
 * difference: DL4J's result equals the engine's arithmetic with every round's step set to 0 (computed
 * in one process), and the engine's equals the same arithmetic with steps r*K.
 */
class Dl4jParameterAveragingEquivalenceTest {
  static final int N = 3;
  static final int K = 3;
  static final int B = 16;
  static final int ROUNDS = 4;
  static final double LR = 0.01;
  /** Float rounding of R rounds of averaging, with ample margin (measured: about 1e-7). */
  static final double TOLERANCE = 1e-5;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    SparkSession.Builder b = SparkSession.builder().master("local[" + N + "]").appName("dl4j-equivalence")
        .config("spark.ui.enabled", "false");
    BackupWorkerTrainer.SPARK_DEFAULTS.forEach(b::config);
    spark = b.getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @Test
  void aStackWithAdamMatchesSparkDl4jMultiLayer() throws Exception {
    Dl4jNetworkSpec spec = Dl4jNetworkSpec.of(stack(new Adam(LR)).toJson(), 12);
    Runs runs = compare(spec, Dl4jParameterAveragingEquivalenceTest::sparkMultiLayer);
    assertEquals(2 * spec.parameterCount(), runs.engine().optimizerState().length, "Adam's m and v");
    assertAgree("engine vs DL4J", spec, runs.engine(), runs.dl4j());
  }

  @Test
  void aResidualGraphWithMomentumMatchesSparkComputationGraph() throws Exception {
    Dl4jNetworkSpec spec = Dl4jNetworkSpec.of(residual(new Nesterovs(LR, 0.9)).toJson(), 11);
    Runs runs = compare(spec, Dl4jParameterAveragingEquivalenceTest::sparkGraph);
    assertEquals(spec.parameterCount(), runs.engine().optimizerState().length, "Nesterov's velocity");
    assertAgree("engine vs DL4J", spec, runs.engine(), runs.dl4j());
  }

  @Test
  void aResidualGraphWithAdamDiffersFromSparkComputationGraphOnlyByDl4jsLostIterationCount() throws Exception {
    Dl4jNetworkSpec spec = Dl4jNetworkSpec.of(residual(new Adam(LR)).toJson(), 11);
    Runs runs = compare(spec, Dl4jParameterAveragingEquivalenceTest::sparkGraph);
    assertAgree("engine vs one-process reference, steps r*K", spec, runs.engine(),
        reference(spec, runs.shards(), r -> (long) r * K));
    assertAgree("DL4J vs one-process reference, every round from step 0", spec, runs.dl4j(),
        reference(spec, runs.shards(), r -> 0L));
    double apart = maxAbsDiff(runs.engine().parameters(), runs.dl4j().parameters());
    System.out.printf("COMPUTATION_GRAPH with Adam: engine and DL4J parameters %.3g apart%n", apart);
    assertTrue(apart > 100 * TOLERANCE, "if DL4J's graph workers kept the iteration count, the runs would agree: "
        + apart + "; then assert agreement here");
  }

  /** DL4J's side of a comparison: its network, trained one averaging per fit. */
  interface Dl4jRun {
    void fit(JavaRDD<DataSet> data);

    INDArray params();

    INDArray updaterState();

    int iterations();
  }

  @FunctionalInterface
  interface Dl4jTrainer {
    Dl4jRun start(JavaSparkContext jsc, Dl4jNetworkSpec spec, ParameterAveragingTrainingMaster tm, float[] init);
  }

  static Dl4jRun sparkGraph(JavaSparkContext jsc, Dl4jNetworkSpec spec, ParameterAveragingTrainingMaster tm,
      float[] init) {
    SparkComputationGraph net = new SparkComputationGraph(jsc,
        ComputationGraphConfiguration.fromJson(spec.configuration()), tm);
    net.getNetwork().setParams(Nd4j.createFromArray(init));
    return new Dl4jRun() {
      @Override public void fit(JavaRDD<DataSet> data) { net.fit(data); }
      @Override public INDArray params() { return net.getNetwork().params(); }
      @Override public INDArray updaterState() { return net.getNetwork().getUpdater().getStateViewArray(); }
      @Override public int iterations() { return net.getNetwork().getConfiguration().getIterationCount(); }
    };
  }

  static Dl4jRun sparkMultiLayer(JavaSparkContext jsc, Dl4jNetworkSpec spec, ParameterAveragingTrainingMaster tm,
      float[] init) {
    SparkDl4jMultiLayer net = new SparkDl4jMultiLayer(jsc, MultiLayerConfiguration.fromJson(spec.configuration()),
        tm);
    net.getNetwork().setParams(Nd4j.createFromArray(init));
    return new Dl4jRun() {
      @Override public void fit(JavaRDD<DataSet> data) { net.fit(data); }
      @Override public INDArray params() { return net.getNetwork().params(); }
      @Override public INDArray updaterState() { return net.getNetwork().getUpdater().getStateViewArray(); }
      @Override public int iterations() { return net.getNetwork().getLayerWiseConfigurations().getIterationCount(); }
    };
  }

  /** The end states of the two runs, and the shards both trained on. */
  record Runs(TrainingState engine, TrainingState dl4j, List<ExampleShard> shards) {}

  private static Runs compare(Dl4jNetworkSpec spec, Dl4jTrainer dl4j) throws Exception {
    List<ExampleShard> shards = new ArrayList<>();
    for (int i = 0; i < N; i++) {
      shards.add(blobs(64, 100 + i));
    }
    TrainingState init = BackupWorkerTrainer.initialState(spec);

    // The engine first: its tasks set the JVM's native thread count once, and DL4J's workers then
    // run their BLAS calls with the same threads.
    TrainerConfig cfg = TrainerConfig.builder().runId("dl4j-equivalence").workers(N).backups(0).localSteps(K)
        .batchSize(B).rounds(ROUNDS).learningRate(LR).build();
    JavaRDD<ExampleShard> rdd = TrainingFixtures.rdd(spark, shards);
    TrainingState engine = new BackupWorkerTrainer(spark, cfg, spec, FaultInjection.NONE)
        .train(rdd, init, ROUNDS, (s, st) -> { });

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    ParameterAveragingTrainingMaster tm = new ParameterAveragingTrainingMaster.Builder(N, B)
        .batchSizePerWorker(B).averagingFrequency(K).workerPrefetchNumBatches(0).saveUpdater(true)
        .repartionData(Repartition.Never).rddTrainingApproach(RDDTrainingApproach.Direct)
        .collectTrainingStats(false).rngSeed(7).build();
    Dl4jRun net = dl4j.start(jsc, spec, tm, init.parameters());
    for (int r = 0; r < ROUNDS; r++) {
      net.fit(roundData(rdd, r));
    }
    rdd.unpersist(false);
    assertEquals(ROUNDS * K, net.iterations(), "DL4J's driver counted K iterations per averaging");
    INDArray state = net.updaterState();
    TrainingState dl4jEnd = new TrainingState(ROUNDS, net.params().toFloatVector(),
        state == null ? new float[0] : state.toFloatVector(), ROUNDS);
    double moved = maxAbsDiff(init.parameters(), dl4jEnd.parameters());
    assertTrue(moved > 0.01, "training moved the parameters: " + moved);
    return new Runs(engine, dl4jEnd, shards);
  }

  /** Parameters, optimizer state and test loss of two end states agree to float rounding. */
  private static void assertAgree(String what, Dl4jNetworkSpec spec, TrainingState a, TrainingState b) {
    double paramDiff = maxAbsDiff(a.parameters(), b.parameters());
    double stateDiff = maxAbsDiff(a.optimizerState(), b.optimizerState());
    DenseShard test = blobs(300, 7);
    double lossA = testLoss(spec, a.parameters(), test);
    double lossB = testLoss(spec, b.parameters(), test);
    System.out.printf("%s, %s: max |parameter difference| %.3g, max |optimizer state difference| %.3g, test loss"
        + " %.7f vs %.7f%n", spec.network(), what, paramDiff, stateDiff, lossA, lossB);
    assertTrue(paramDiff < TOLERANCE, what + ": parameters differ by " + paramDiff);
    assertTrue(stateDiff < TOLERANCE, what + ": optimizer states differ by " + stateDiff);
    assertEquals(lossA, lossB, TOLERANCE, what + ": test loss");
  }

  /**
   * The engine's arithmetic in one process, for any step rule: each round, every worker starts from
   * the average, at step {@code stepOfRound(r)}, fits its K batches; the results are averaged in double.
   */
  private static TrainingState reference(Dl4jNetworkSpec spec, List<ExampleShard> shards,
      java.util.function.IntToLongFunction stepOfRound) {
    TrainingState s = BackupWorkerTrainer.initialState(spec);
    for (int r = 0; r < ROUNDS; r++) {
      double[] p = new double[s.parameters().length];
      double[] o = new double[s.optimizerState().length];
      for (ExampleShard shard : shards) {
        var m = spec.build();
        m.setParameters(s.parameters());
        m.setOptimizerState(s.optimizerState());
        m.setStep(stepOfRound.applyAsLong(r));
        m.setLearningRate(LR);
        for (int k = 0; k < K; k++) {
          m.fit(shard.batch((int) (((long) r * K * B + (long) k * B) % shard.size()), B));
        }
        add(p, m.parameters());
        add(o, m.optimizerState());
      }
      s = new TrainingState(r + 1, mean(p, shards.size()), mean(o, shards.size()), r + 1);
    }
    return s;
  }

  private static void add(double[] sum, float[] v) {
    for (int i = 0; i < v.length; i++) {
      sum[i] += v[i];
    }
  }

  private static float[] mean(double[] sum, int n) {
    float[] out = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      out[i] = (float) (sum[i] / n);
    }
    return out;
  }

  /** Round r's data for DL4J: partition i holds the K minibatches the engine's task i fits in round r. */
  private static JavaRDD<DataSet> roundData(JavaRDD<ExampleShard> shards, int round) {
    return shards.mapPartitions(it -> {
      ExampleShard shard = it.next();
      long cursor = (long) round * K * B;
      List<DataSet> out = new ArrayList<>();
      for (int k = 0; k < K; k++) {
        Batch b = shard.batch((int) ((cursor + (long) k * B) % shard.size()), B);
        out.add(new DataSet(b.features(), b.labels()));
      }
      return out.iterator();
    }, true);
  }

  private static double testLoss(Dl4jNetworkSpec spec, float[] parameters, DenseShard test) {
    var m = spec.build();
    m.setParameters(parameters);
    Map<String, Double> metrics = m.evaluate(test.batch(0, test.size()));
    return metrics.get("loss");
  }

  private static double maxAbsDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }

  static DenseShard blobs(int n, long seed) {
    java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
    float[] x = new float[n * 8];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = r.nextInt(3);
      for (int f = 0; f < 8; f++) {
        x[i * 8 + f] = (float) (r.nextGaussian() + (f % 3 == y[i] ? 1.5 : 0.0));
      }
    }
    return new DenseShard(x, y, 8, 3);
  }

  /** input -> stem -> (stem + dense -> dense) -> softmax: a residual block. */
  static ComputationGraphConfiguration residual(IUpdater updater) {
    return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
        .updater(updater).graphBuilder()
        .addInputs("features")
        .addLayer("stem", new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build(), "features")
        .addLayer("branch1", new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.RELU).build(), "stem")
        .addLayer("branch2", new DenseLayer.Builder().nIn(16).nOut(16).activation(Activation.IDENTITY).build(),
            "branch1")
        .addVertex("residual", new ElementWiseVertex(ElementWiseVertex.Op.Add), "stem", "branch2")
        .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
            .activation(Activation.SOFTMAX).build(), "residual")
        .setOutputs("output")
        .build();
  }

  static MultiLayerConfiguration stack(IUpdater updater) {
    return new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER)
        .updater(updater).list()
        .layer(new DenseLayer.Builder().nIn(8).nOut(16).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(16).nOut(3)
            .activation(Activation.SOFTMAX).build())
        .build();
  }
}
