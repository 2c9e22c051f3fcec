package org.neurolake.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.mlstm.MlstmModel;
import org.neurolake.model.mlstm.MlstmSpec;

/**
 * {@code bin/bench mlstm-step [--hidden H] [--batch B] [--steps T] [--iterations N] [--warmup W]}:
 * the speed of one mLSTM training step (forward, backward, clipping, Adam) at H=1024, B=128,
 * T=64 by default, against ND4J's own GEMM rate on [B, H] x [H, 4H] (the shape of the step's main
 * recurrent product) measured in the same process. {@code gflops} counts the step's matrix-product
 * floating-point operations as executed ({@link MlstmModel#trainingFlops}, about 3x the forward's)
 * per second of the median step; {@code fraction} = gflops / gemm_gflops, the share of the
 * machine's practical GEMM rate the whole training step reaches. No Spark session.
 */
public final class MlstmStepBenchmark {
  record Options(int hidden, int batch, int steps, int iterations, int warmup) {
    Options {
      if (hidden < 1 || batch < 1 || steps < 1 || iterations < 1 || warmup < 0) {
        throw new IllegalArgumentException("need hidden, batch, steps, iterations >= 1 and warmup >= 0");
      }
    }

    static Options parse(String[] args) {
      Map<String, Integer> v = new LinkedHashMap<>(Map.of("--hidden", 1024, "--batch", 128, "--steps", 64,
          "--iterations", 5, "--warmup", 2));
      for (int i = 0; i < args.length; i++) {
        if (!v.containsKey(args[i]) || i + 1 == args.length) {
          throw new IllegalArgumentException("unknown option or missing value: " + args[i]
              + "; options: " + v.keySet() + " each followed by an integer");
        }
        v.put(args[i], Integer.parseInt(args[++i]));
      }
      return new Options(v.get("--hidden"), v.get("--batch"), v.get("--steps"), v.get("--iterations"),
          v.get("--warmup"));
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
    MlstmModel model = new MlstmModel(spec);
    System.out.printf(Locale.ROOT, "mLSTM H=%d, E=64, %d parameters; batch %d x %d bytes; %d warm-up + %d timed steps%n",
        o.hidden(), model.parameterCount(), o.batch(), o.steps(), o.warmup(), o.iterations());

    // The GEMM rate is sampled in blocks between the steps, so that both medians come from the same
    // stretch of time on a machine whose other load may come and go.
    GemmProbe gemm = new GemmProbe(o.batch(), o.hidden());
    gemm.warmUp();
    double[] stepSeconds = new double[o.iterations()];
    double[] gemmRates = new double[o.iterations() + 1];
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < o.warmup() + o.iterations(); i++) {
      Batch batch = randomBatch(o.batch(), o.steps(), random, i > 0);
      int timed = i - o.warmup();
      if (timed >= 0) {
        gemmRates[timed] = gemm.blockGflops();
      }
      long t0 = System.nanoTime();
      double loss = model.fit(batch);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "%s step %d: %.3f s, loss %.4f%n", timed < 0 ? "warm-up" : "timed", i, seconds,
          loss);
      if (timed >= 0) {
        stepSeconds[timed] = seconds;
      }
    }
    gemmRates[o.iterations()] = gemm.blockGflops();
    double step = median(stepSeconds);
    double gemmGflops = median(gemmRates);
    double flops = MlstmModel.trainingFlops(spec, o.batch(), o.steps());
    double gflops = flops / step / 1e9;
    System.out.printf(Locale.ROOT, "median step %.3f s of %s; %.1f GFLOP of matrix products per step%n", step,
        Arrays.toString(round(stepSeconds)), flops / 1e9);
    System.out.printf(Locale.ROOT, "ND4J GEMM [%d,%d]x[%d,%d], GFLOPS per block of %d calls between the steps: %s%n",
        o.batch(), o.hidden(), o.hidden(), 4 * o.hidden(), GemmProbe.CALLS_PER_BLOCK, Arrays.toString(round(gemmRates)));
    System.out.println(new BenchLine("mlstm-step")
        .put("bytes_per_s", Math.round((double) o.batch() * o.steps() / step))
        .put("gflops", gflops)
        .put("gemm_gflops", gemmGflops)
        .put("fraction", gflops / gemmGflops));
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

  /** ND4J's own rate on [n, h] x [h, 4h] through the same Mmul op the model uses. */
  static final class GemmProbe {
    static final int WARMUP_CALLS = 20;
    static final int CALLS_PER_BLOCK = 10;
    private final INDArray a;
    private final INDArray b;
    private final INDArray c;
    private final double flopsPerCall;

    GemmProbe(int n, int h) {
      a = Nd4j.rand(DataType.FLOAT, n, h);
      b = Nd4j.rand(DataType.FLOAT, h, 4L * h);
      c = Nd4j.create(DataType.FLOAT, n, 4L * h);
      flopsPerCall = 2.0 * n * h * 4.0 * h;
    }

    /** Raw GEMM needs about 15 calls before it runs at its true rate. */
    void warmUp() {
      for (int i = 0; i < WARMUP_CALLS; i++) {
        call();
      }
    }

    double blockGflops() {
      call();
      long t0 = System.nanoTime();
      for (int i = 0; i < CALLS_PER_BLOCK; i++) {
        call();
      }
      return flopsPerCall * CALLS_PER_BLOCK / (System.nanoTime() - t0);
    }

    private void call() {
      Nd4j.exec(new Mmul(a, b, c, 1.0, 0.0, MMulTranspose.allFalse()));
    }
  }

  private static double[] round(double[] v) {
    return Arrays.stream(v).map(x -> Math.round(x * 1000) / 1000.0).toArray();
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }
}
