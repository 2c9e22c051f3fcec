package org.neurolake.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ComputePath;
import org.neurolake.model.lfads.LfadsModel;
import org.neurolake.model.lfads.LfadsSpec;
import org.neurolake.model.lfads.SpikeShard;
import org.neurolake.pipelines.synthetic.Poisson;

/**
 * {@code bin/bench lfads-step [--batch B] [--bins T] [--neurons N] [--dim D] [--factors F]
 * [--controller 0|1] [--inputs U] [--steps S] [--repetitions R] [--warmup W]}: one LFADS training
 * step (forward, backward, clipping, Adam) on the fused CPU path ({@code compute = fused-cpu}:
 * {@code LfadsGraph} over OpenBLAS) and on the ND4J path ({@code compute = nd4j}: {@code
 * Nd4jLfadsPass}, INDArray ops only), side by side in one process. Defaults: the LFADS speed
 * benchmark's shape, B = 64 trials of T = 100 bins, N = 50 neurons, every GRU and g0 of size D = 64,
 * F = 16 factors, controller on with U = 4 inferred inputs.
 *
 * <p>Both models start from the same parameters and train on the same random Poisson batches. Each
 * repetition runs W warm-up steps then times S steps per path, the two paths in rotated order
 * ({@link RotatedRepetitions}); a path's figure for the repetition is its median step. Ends with
 * {@code BENCH lfads-step ms_fused=… ms_nd4j=… fraction_nd4j=… …_min=… …_max=… repetitions=…}:
 * medians over repetitions, with {@code fraction_nd4j = ms_fused / ms_nd4j} (the ND4J path's speed
 * as a fraction of the fused path's) taken per repetition. No Spark session.
 */
public final class LfadsStepBenchmark {
  record Options(int batch, int bins, int neurons, int dim, int factors, boolean controller, int inputs, int steps,
      int repetitions, int warmup) {
    Options {
      if (batch < 1 || bins < 1 || neurons < 1 || dim < 1 || factors < 1 || inputs < 1 || steps < 1
          || repetitions < 1 || warmup < 0) {
        throw new IllegalArgumentException("need batch, bins, neurons, dim, factors, inputs, steps, repetitions >= 1"
            + " and warmup >= 0");
      }
    }

    static Options parse(String[] args) {
      Map<String, Integer> v = new LinkedHashMap<>();
      v.put("--batch", 64);
      v.put("--bins", 100);
      v.put("--neurons", 50);
      v.put("--dim", 64);
      v.put("--factors", 16);
      v.put("--controller", 1);
      v.put("--inputs", 4);
      v.put("--steps", 5);
      v.put("--repetitions", RotatedRepetitions.MIN_REPETITIONS);
      v.put("--warmup", 2);
      for (int i = 0; i < args.length; i++) {
        if (!v.containsKey(args[i]) || i + 1 == args.length) {
          throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: " + v.keySet()
              + " each followed by an integer");
        }
        v.put(args[i], Integer.parseInt(args[++i]));
      }
      int controller = v.get("--controller");
      if (controller != 0 && controller != 1) {
        throw new IllegalArgumentException("--controller must be 0 or 1: " + controller);
      }
      return new Options(v.get("--batch"), v.get("--bins"), v.get("--neurons"), v.get("--dim"), v.get("--factors"),
          controller == 1, v.get("--inputs"), v.get("--steps"), v.get("--repetitions"), v.get("--warmup"));
    }

    LfadsSpec spec(ComputePath compute) {
      LfadsSpec.Builder b = LfadsSpec.builder(neurons, neurons).icEncDim(dim).g0Dim(dim).genDim(dim).factors(factors)
          .seed(1).compute(compute);
      if (controller) {
        b.controller(dim, dim, inputs);
      }
      return b.build();
    }
  }

  private LfadsStepBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    LfadsModel fused = o.spec(ComputePath.FUSED_CPU).build();
    LfadsModel nd4j = o.spec(ComputePath.ND4J).build();
    nd4j.setParameters(fused.parameters());
    SpikeShard data = randomShard(o, new SplittableRandom(7));
    System.out.printf(Locale.ROOT, "LFADS %d parameters (controller %s); batch %d trials x %d bins x %d neurons; "
        + "%d warm-up + %d timed steps per path and repetition%n", fused.parameterCount(), o.controller() ? "on" : "off",
        o.batch(), o.bins(), o.neurons(), o.warmup(), o.steps());
    Map<String, RotatedRepetitions.Scenario<Double>> scenarios = new LinkedHashMap<>();
    scenarios.put("fused-cpu", rep -> medianStepMs("fused-cpu", fused, data, o));
    scenarios.put("nd4j", rep -> medianStepMs("nd4j", nd4j, data, o));
    Map<String, List<Double>> ms = RotatedRepetitions.run(o.repetitions(), scenarios);
    double[] fusedMs = ms.get("fused-cpu").stream().mapToDouble(Double::doubleValue).toArray();
    double[] nd4jMs = ms.get("nd4j").stream().mapToDouble(Double::doubleValue).toArray();
    System.out.printf(Locale.ROOT, "median step ms per repetition: fused %s, nd4j %s%n", Arrays.toString(fusedMs),
        Arrays.toString(nd4jMs));
    System.out.println(new BenchLine("lfads-step")
        .put("ms_fused", Spread.of(fusedMs))
        .put("ms_nd4j", Spread.of(nd4jMs))
        .put("fraction_nd4j", Spread.ofRatios(fusedMs, nd4jMs))
        .put("repetitions", o.repetitions()));
  }

  /** Warm-up steps, then the median wall time of {@code steps} timed training steps, in ms. */
  private static double medianStepMs(String name, LfadsModel model, SpikeShard data, Options o) {
    int batches = data.size() / o.batch();
    double[] ms = new double[o.steps()];
    for (int s = 0; s < o.warmup() + o.steps(); s++) {
      Batch batch = data.batch((s % batches) * o.batch(), o.batch());
      long t0 = System.nanoTime();
      double loss = model.fit(batch);
      double elapsed = (System.nanoTime() - t0) / 1e6;
      if (s >= o.warmup()) {
        ms[s - o.warmup()] = elapsed;
      }
      if (!Double.isFinite(loss)) {
        throw new IllegalStateException(name + ": non-finite loss " + loss);
      }
    }
    double median = Spread.of(ms).median();
    System.out.printf(Locale.ROOT, "  %s: median step %.1f ms%n", name, median);
    return median;
  }

  /** Four batches of Poisson counts with rates varying over trials, bins and neurons (mean about 1.5). */
  static SpikeShard randomShard(Options o, SplittableRandom rng) {
    int trials = 4 * o.batch();
    float[] counts = new float[trials * o.bins() * o.neurons()];
    for (int i = 0; i < trials; i++) {
      double phase = rng.nextDouble() * 2 * Math.PI;
      for (int t = 0; t < o.bins(); t++) {
        for (int j = 0; j < o.neurons(); j++) {
          double mean = 1.5 * Math.exp(0.6 * Math.sin(phase + 0.4 * t + j));
          counts[(i * o.bins() + t) * o.neurons() + j] = Poisson.sample(rng, mean);
        }
      }
    }
    return new SpikeShard(counts, trials, o.bins(), o.neurons(), o.neurons());
  }
}
