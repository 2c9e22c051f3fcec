package org.neurolake.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ComputePath;
import org.neurolake.model.mlstm.MatrixProduct;
import org.neurolake.model.mlstm.MlstmModel;
import org.neurolake.model.mlstm.MlstmSpec;

/**
 * {@code bin/bench mlstm-step [--hidden H] [--batch B] [--steps T] [--iterations N] [--warmup W]
 * [--compute fused-cpu|nd4j|both]}: the speed of one mLSTM training step (forward, backward,
 * clipping, Adam) at H=1024, B=128, T=64 by default, on the fused CPU path (the default), the nd4j
 * path, or both side by side, against ND4J's own GEMM rate on every matrix-product shape the step
 * executes ({@link MlstmModel#trainingProducts}, with their transposes), measured in the same process.
 *
 * <p>{@code gflops} counts the step's matrix-product floating-point operations per second of the
 * median step. {@code gemm_gflops} is the rate the step's products would run at if each ran as
 * fast as ND4J runs that shape alone: total FLOPs over the sum of each product's FLOPs divided by
 * its shape's measured rate (a FLOP-weighted harmonic mean). {@code fraction} = gflops /
 * gemm_gflops, the share of that ideal the whole step (gate kernels, softmax, Adam included)
 * reaches, taken per iteration against the GEMM rates measured next to it (the GEMM probes and
 * each path's step in an order rotated every iteration, {@link RotatedRepetitions#order}) and
 * published as the median with its range. These keys describe the first path run: fused-cpu
 * under {@code both}. {@code both} adds {@code bytes_per_s_nd4j}, {@code gflops_nd4j} (the same
 * FLOP count over the nd4j step's median time) and {@code fraction_nd4j} = nd4j bytes/s / fused
 * bytes/s, taken per iteration (the two steps ran on the same batch back to back) and published
 * with its range. No Spark session.
 */
public final class MlstmStepBenchmark {
  /** {@code --compute} both: the fused path, then the nd4j path, side by side. */
  static final String BOTH = "both";

  /**
   * @param paths the compute paths to time, in order: one of them, or fused-cpu and nd4j for {@code both}
   */
  record Options(int hidden, int batch, int steps, int iterations, int warmup, List<ComputePath> paths) {
    Options {
      if (hidden < 1 || batch < 1 || steps < 1 || iterations < 1 || warmup < 0) {
        throw new IllegalArgumentException("need hidden, batch, steps, iterations >= 1 and warmup >= 0");
      }
      if (paths.isEmpty() || paths.contains(ComputePath.AUTO)) {
        throw new IllegalArgumentException("need fused-cpu, nd4j or both, got " + paths);
      }
      paths = List.copyOf(paths);
    }

    static Options parse(String[] args) {
      Map<String, Integer> v = new LinkedHashMap<>(Map.of("--hidden", 1024, "--batch", 128, "--steps", 64,
          "--iterations", RotatedRepetitions.MIN_REPETITIONS, "--warmup", 2));
      List<ComputePath> paths = List.of(ComputePath.FUSED_CPU);
      for (int i = 0; i < args.length; i++) {
        if (args[i].equals("--compute") && i + 1 < args.length) {
          String c = args[++i];
          paths = c.equals(BOTH) ? List.of(ComputePath.FUSED_CPU, ComputePath.ND4J) : List.of(ComputePath.of(c));
          continue;
        }
        if (!v.containsKey(args[i]) || i + 1 == args.length) {
          throw new IllegalArgumentException("unknown option or missing value: " + args[i]
              + "; options: " + v.keySet() + " each followed by an integer, --compute fused-cpu|nd4j|both");
        }
        v.put(args[i], Integer.parseInt(args[++i]));
      }
      return new Options(v.get("--hidden"), v.get("--batch"), v.get("--steps"), v.get("--iterations"),
          v.get("--warmup"), paths);
    }
  }

  public static void main(String[] args) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    MlstmSpec spec = new MlstmSpec(o.hidden(), 64, 5e-4, 0.9, 0.999, 1e-8, 5.0, o.steps(), 1);
    List<MlstmModel> models = o.paths().stream().map(p -> new MlstmModel(spec.withCompute(p))).toList();
    Map<MatrixProduct, Integer> products = MlstmModel.trainingProducts(spec, o.batch(), o.steps());
    double flops = MlstmModel.trainingFlops(spec, o.batch(), o.steps());
    System.out.printf(Locale.ROOT, "mLSTM H=%d, E=64, %d parameters; batch %d x %d bytes; %d warm-up + %d timed steps"
        + " on %s; %d product shapes, %.1f GFLOP of matrix products per step%n", o.hidden(), spec.parameterCount(),
        o.batch(), o.steps(), o.warmup(), o.iterations(), o.paths(), products.size(), flops / 1e9);

    List<GemmProbe> probes = products.keySet().stream().map(GemmProbe::new).toList();
    probes.forEach(GemmProbe::warmUp);
    double[][] pathSeconds = new double[models.size()][o.iterations()];
    double[] gemmRates = new double[o.iterations()];
    double[][] shapeRates = new double[probes.size()][o.iterations()];
    SplittableRandom random = new SplittableRandom(7);
    // Scenario -1 is the GEMM probes, k >= 0 path k's step; their order rotates every iteration, so
    // that drift in the machine's speed falls on all alike.
    List<Integer> scenarios = new java.util.ArrayList<>(List.of(-1));
    for (int k = 0; k < models.size(); k++) {
      scenarios.add(k);
    }
    for (int i = 0; i < o.warmup() + o.iterations(); i++) {
      Batch batch = randomBatch(o.batch(), o.steps(), random, i > 0);
      int timed = i - o.warmup();
      for (int scenario : RotatedRepetitions.order(scenarios, Math.max(0, timed))) {
        if (scenario < 0) {
          if (timed >= 0) {
            gemmRates[timed] = weightedRate(probes, products, shapeRates, timed);
          }
          continue;
        }
        long t0 = System.nanoTime();
        double loss = models.get(scenario).fit(batch);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%s step %d, %s: %.3f s, loss %.4f%n", timed < 0 ? "warm-up" : "timed", i,
            o.paths().get(scenario).id(), seconds, loss);
        if (timed >= 0) {
          pathSeconds[scenario][timed] = seconds;
        }
      }
    }
    double[] stepSeconds = pathSeconds[0];
    double[] stepGflops = Arrays.stream(stepSeconds).map(s -> flops / s / 1e9).toArray();
    for (int p = 0; p < probes.size(); p++) {
      MatrixProduct shape = probes.get(p).shape;
      System.out.printf(Locale.ROOT, "  GEMM [%d,%d]%s x [%d,%d]%s, %d per step, %.1f%% of the FLOPs: %.1f GFLOPS%n",
          shape.m(), shape.k(), shape.transposeA() ? "^T-stored" : "", shape.k(), shape.n(),
          shape.transposeB() ? "^T-stored" : "", products.get(shape), 100 * shape.flops() * products.get(shape) / flops,
          Spread.of(shapeRates[p]).median());
    }
    Spread step = Spread.of(stepSeconds);
    Spread fraction = Spread.ofRatios(stepGflops, gemmRates);
    System.out.printf(Locale.ROOT, "median step %.3f s of %s; FLOP-weighted GEMM rate per iteration %s GFLOPS%n",
        step.median(), Arrays.toString(round(stepSeconds)), Arrays.toString(round(gemmRates)));
    BenchLine line = new BenchLine("mlstm-step")
        .put("bytes_per_s", Math.round((double) o.batch() * o.steps() / step.median()))
        .put("gflops", flops / step.median() / 1e9)
        .put("gemm_gflops", Spread.of(gemmRates).median())
        .put("fraction", fraction)
        .put("repetitions", o.iterations());
    if (models.size() == 2) {
      Spread nd4j = Spread.of(pathSeconds[1]);
      System.out.printf(Locale.ROOT, "nd4j path: median step %.3f s of %s%n", nd4j.median(),
          Arrays.toString(round(pathSeconds[1])));
      // nd4j bytes/s over fused bytes/s of the same iteration = fused seconds / nd4j seconds.
      line.put("bytes_per_s_nd4j", Math.round((double) o.batch() * o.steps() / nd4j.median()))
          .put("gflops_nd4j", flops / nd4j.median() / 1e9)
          .put("fraction_nd4j", Spread.ofRatios(pathSeconds[0], pathSeconds[1]));
    }
    System.out.println(line);
  }

  /**
   * Measures every shape once and returns the rate the step's products would reach at those
   * rates: total FLOPs / sum over products of (count x FLOPs / rate).
   */
  private static double weightedRate(List<GemmProbe> probes, Map<MatrixProduct, Integer> products,
      double[][] shapeRates, int iteration) {
    double flops = 0;
    double seconds = 0;
    for (int p = 0; p < probes.size(); p++) {
      GemmProbe probe = probes.get(p);
      double gflops = probe.blockGflops();
      shapeRates[p][iteration] = gflops;
      double shapeFlops = probe.shape.flops() * products.get(probe.shape);
      flops += shapeFlops;
      seconds += shapeFlops / (gflops * 1e9);
    }
    return flops / seconds / 1e9;
  }

  /** Byte values from the whole range, every row continuing the previous batch's stream after the first. */
  static Batch randomBatch(int n, int steps, SplittableRandom random, boolean continuing) {
    float[] x = new float[n * steps];
    float[] y = new float[n * steps];
    float[] mask = new float[n * steps];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextInt(256);
      y[i] = random.nextInt(256);
      mask[i] = 1;
    }
    boolean[] continues = new boolean[n];
    Arrays.fill(continues, continuing);
    return new Batch(Nd4j.create(x, new long[] {n, steps}, 'c'), Nd4j.create(y, new long[] {n, steps}, 'c'), null,
        Nd4j.create(mask, new long[] {n, steps}, 'c'), continues);
  }

  /** ND4J's own rate on one product shape, with its transposes, through the same Mmul op the model uses. */
  static final class GemmProbe {
    /** Raw GEMM needs about 15 calls before it runs at its true rate. */
    static final int WARMUP_CALLS = 15;
    /** A block of calls lasts at least this long, so small shapes are not timed by one clock tick. */
    static final double BLOCK_SECONDS = 0.2;
    final MatrixProduct shape;
    private final INDArray a;
    private final INDArray b;
    private final INDArray c;
    private int callsPerBlock = 1;

    GemmProbe(MatrixProduct shape) {
      this.shape = shape;
      a = shape.transposeA() ? Nd4j.rand(DataType.FLOAT, shape.k(), shape.m()) : Nd4j.rand(DataType.FLOAT, shape.m(),
          shape.k());
      b = shape.transposeB() ? Nd4j.rand(DataType.FLOAT, shape.n(), shape.k()) : Nd4j.rand(DataType.FLOAT, shape.k(),
          shape.n());
      c = Nd4j.create(DataType.FLOAT, shape.m(), shape.n());
    }

    void warmUp() {
      long t0 = System.nanoTime();
      for (int i = 0; i < WARMUP_CALLS; i++) {
        call();
      }
      double perCall = (System.nanoTime() - t0) / 1e9 / WARMUP_CALLS;
      callsPerBlock = (int) Math.max(3, Math.ceil(BLOCK_SECONDS / perCall));
    }

    double blockGflops() {
      call();
      long t0 = System.nanoTime();
      for (int i = 0; i < callsPerBlock; i++) {
        call();
      }
      return shape.flops() * callsPerBlock / (System.nanoTime() - t0);
    }

    private void call() {
      Nd4j.exec(new Mmul(a, b, c, 1.0, 0.0, new MMulTranspose(shape.transposeA(), shape.transposeB(), false)));
    }
  }

  private static double[] round(double[] v) {
    return Arrays.stream(v).map(x -> Math.round(x * 1000) / 1000.0).toArray();
  }
}
