package org.neurolake.e2e;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.neurolake.model.lfads.LfadsModel;
import org.neurolake.model.lfads.LfadsOutput;
import org.neurolake.model.lfads.LfadsSpec;
import org.neurolake.model.lfads.SpikeShard;
import org.neurolake.model.neural.SessionSplit;
import org.neurolake.model.neural.TrialSplit;
import org.neurolake.pipelines.synthetic.ChaoticRnnConfig;
import org.neurolake.pipelines.synthetic.ChaoticRnnGenerator;

/**
 * Single-process LFADS fit of the paper's chaotic-RNN benchmark (not a unit test): generates
 * {@code conditions x replications} trials (50 neurons, 100 bins of 10 ms), holds out about
 * {@code test-fraction} of them as the LFADS jobs split a session ({@link SessionSplit}, seed
 * {@code split-seed}), trains on the rest within a wall-clock budget, and reports R^2 between the
 * posterior-mean rates (sample-and-average) of the held-out trials and their true rates. Ends with
 * one line {@code RESULT variant=... r2_pooled=... r2_neuron_mean=... train_s=...}.
 *
 * <p>R^2 pooled: 1 - sum (inferred - true)^2 / sum (true - mean of all true rates)^2 over every
 * held-out trial, bin and neuron; R^2 neuron mean: the same per neuron (its own mean), averaged over
 * neurons. Rates in Hz (LFADS's counts per bin / 0.01 s).
 *
 * <pre>
 * mvn -B -o -q -pl tests -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp tests/target/test-classes:$(cat /tmp/cp.txt) org.neurolake.e2e.LfadsChaoticRnnFit budget-s=600
 * </pre>
 * Options are {@code key=value}; see {@link #DEFAULTS}.
 */
public final class LfadsChaoticRnnFit {
  static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put("variant", "chaotic"); // chaotic | pulse
    DEFAULTS.put("conditions", "100");
    DEFAULTS.put("replications", "10");
    DEFAULTS.put("data-seed", Long.toString(ChaoticRnnConfig.DEFAULT_SEED));
    DEFAULTS.put("test-fraction", "0.2");
    DEFAULTS.put("split-seed", "1");
    DEFAULTS.put("budget-s", "600");
    DEFAULTS.put("max-epochs", "100000");
    DEFAULTS.put("batch", "64");
    DEFAULTS.put("lr", "0.01");
    DEFAULTS.put("lr-schedule", "plateau"); // plateau: the reference's; time: linear in wall-clock time
    DEFAULTS.put("lr-decay", "0.95"); // plateau: factor when the cost exceeds the max of the last 6 epochs
    DEFAULTS.put("lr-final", "0.1"); // time: fraction of lr reached at the end of the budget
    DEFAULTS.put("lr-min", "1e-5");
    DEFAULTS.put("lr-hold-steps", "0"); // no decay before this step (the KL/L2 ramps raise the cost)
    DEFAULTS.put("gen", "64");
    DEFAULTS.put("ic-enc", "64");
    DEFAULTS.put("g0", "64");
    DEFAULTS.put("factors", "16");
    DEFAULTS.put("ci-enc", "0");
    DEFAULTS.put("con", "0");
    DEFAULTS.put("u", "0");
    DEFAULTS.put("keep", "0.95");
    DEFAULTS.put("kl-increase", "2000");
    DEFAULTS.put("l2-increase", "2000");
    DEFAULTS.put("l2-gen", "2000");
    DEFAULTS.put("l2-con", "0");
    DEFAULTS.put("samples", "20");
    DEFAULTS.put("eval-every-s", "60");
    DEFAULTS.put("model-seed", "1");
  }

  private LfadsChaoticRnnFit() {}

  public static void main(String[] args) {
    Map<String, String> o = new LinkedHashMap<>(DEFAULTS);
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 0 || !DEFAULTS.containsKey(a.substring(0, eq))) {
        throw new IllegalArgumentException("unknown option " + a + "; options: " + DEFAULTS.keySet());
      }
      o.put(a.substring(0, eq), a.substring(eq + 1));
    }
    System.out.println("options " + o);
    ChaoticRnnConfig.Variant variant = switch (o.get("variant")) {
      case "chaotic" -> ChaoticRnnConfig.Variant.CHAOTIC;
      case "pulse" -> ChaoticRnnConfig.Variant.INPUT_PULSE;
      default -> throw new IllegalArgumentException("variant must be chaotic or pulse: " + o.get("variant"));
    };
    ChaoticRnnConfig cfg = ChaoticRnnConfig.paper(variant, integer(o, "conditions"), integer(o, "replications"),
        Long.parseLong(o.get("data-seed")));
    ChaoticRnnGenerator gen = new ChaoticRnnGenerator(cfg);
    List<ChaoticRnnGenerator.Trial> trials = new ArrayList<>();
    for (int c = 0; c < cfg.conditions(); c++) {
      trials.addAll(gen.condition(c));
    }
    int n = trials.size();
    int neurons = cfg.nNeurons();
    int bins = cfg.nSteps();
    double binSeconds = cfg.dtMs() / 1000.0;
    TrialSplit split = new SessionSplit(0, Double.parseDouble(o.get("test-fraction")), 0,
        Long.parseLong(o.get("split-seed"))).trials(n);
    int nTrain = split.train().length;
    int[] all = new int[neurons];
    Arrays.setAll(all, i -> i);
    List<int[]> trainCounts = new ArrayList<>();
    List<int[]> testCounts = new ArrayList<>();
    List<double[]> testRates = new ArrayList<>();
    for (int i : split.train()) {
      trainCounts.add(trials.get(i).spikes().counts());
    }
    for (int i : split.test()) {
      testCounts.add(trials.get(i).spikes().counts());
      testRates.add(trials.get(i).ratesHz());
    }
    SpikeShard test = SpikeShard.fromNeuronMajor(testCounts, neurons, bins, all, new int[0]);
    System.out.printf(Locale.ROOT, "data: %s, %d trials (%d train, %d test), %d neurons x %d bins, chaos score %.3f%n",
        variant, n, nTrain, n - nTrain, neurons, bins, gen.chaosScore());
    System.out.printf(Locale.ROOT, "baselines on test: neuron means R2 %.3f, smoothed spikes (sigma 2 bins) R2 %.3f,"
        + " (sigma 4 bins) R2 %.3f%n", r2(testRates, constantRates(trainCounts, neurons, bins, testRates.size(),
            binSeconds), neurons, bins)[0], r2(testRates, smoothed(test, 2, binSeconds), neurons, bins)[0],
        r2(testRates, smoothed(test, 4, binSeconds), neurons, bins)[0]);

    LfadsSpec spec = LfadsSpec.builder(neurons, neurons).genDim(integer(o, "gen")).icEncDim(integer(o, "ic-enc"))
        .g0Dim(integer(o, "g0")).factors(integer(o, "factors"))
        .controller(integer(o, "ci-enc"), integer(o, "con"), integer(o, "u"))
        .keepProb(Double.parseDouble(o.get("keep"))).klRamp(0, Long.parseLong(o.get("kl-increase")))
        .l2Ramp(0, Long.parseLong(o.get("l2-increase")))
        .l2Scales(Double.parseDouble(o.get("l2-gen")), Double.parseDouble(o.get("l2-con")))
        .learningRate(Double.parseDouble(o.get("lr"))).seed(Long.parseLong(o.get("model-seed"))).build();
    LfadsModel model = spec.build();
    System.out.println("model: " + model.parameterCount() + " parameters");
    int batch = integer(o, "batch");
    double budget = Double.parseDouble(o.get("budget-s"));
    double evalEvery = Double.parseDouble(o.get("eval-every-s"));
    double lr = spec.learningRate();
    double lrDecay = Double.parseDouble(o.get("lr-decay"));
    double lrMin = Double.parseDouble(o.get("lr-min"));
    int samples = integer(o, "samples");
    List<Double> epochCosts = new ArrayList<>();
    boolean timeSchedule = switch (o.get("lr-schedule")) {
      case "plateau" -> false;
      case "time" -> true;
      default -> throw new IllegalArgumentException("lr-schedule must be plateau or time: " + o.get("lr-schedule"));
    };
    double lrFinal = Double.parseDouble(o.get("lr-final"));
    double holdEnd = -1;
    long start = System.nanoTime();
    double nextEval = evalEvery;
    int epoch = 0;
    int maxEpochs = integer(o, "max-epochs");
    while (seconds(start) < budget && epoch < maxEpochs && (timeSchedule || lr >= lrMin)) {
      SpikeShard train = SpikeShard.fromNeuronMajor(shuffled(trainCounts, 1000L + epoch), neurons, bins, all,
          new int[0]);
      double cost = 0;
      int steps = train.size() / batch;
      for (int s = 0; s < steps; s++) {
        cost += model.fit(train.batch(s * batch, batch)) / steps;
      }
      epoch++;
      boolean holding = model.step() < Long.parseLong(o.get("lr-hold-steps"));
      if (timeSchedule) {
        if (!holding) {
          holdEnd = holdEnd < 0 ? seconds(start) : holdEnd;
          double f = Math.min(1, (seconds(start) - holdEnd) / Math.max(1, budget - holdEnd));
          lr = spec.learningRate() * (1 - (1 - lrFinal) * f);
          model.setLearningRate(lr);
        }
      } else if (!holding && epochCosts.size() >= 6 && cost > epochCosts.subList(epochCosts.size() - 6, epochCosts.size()).stream()
          .mapToDouble(Double::doubleValue).max().orElseThrow()) {
        lr *= lrDecay;
        model.setLearningRate(lr);
      }
      epochCosts.add(cost);
      if (seconds(start) >= nextEval) {
        nextEval += evalEvery;
        double[] r = r2(testRates, rates(model.infer(test.batch(0, test.size()), 0, 0), binSeconds), neurons, bins);
        Map<String, Double> ev = model.evaluate(test.batch(0, test.size()));
        System.out.printf(Locale.ROOT, "t=%5.0fs epoch %4d step %6d lr %.5f train cost %.1f | test nll %.1f kl_g0 %.2f"
            + " kl_u %.2f bits/spike %.3f | R2 (posterior mean) pooled %.4f neuron mean %.4f%n", seconds(start),
            epoch, model.step(), lr, cost, ev.get("nll"), ev.get("kl_g0"), ev.get("kl_u"), ev.get("bits_per_spike"),
            r[0], r[1]);
      }
    }
    double trainSeconds = seconds(start);
    long t0 = System.nanoTime();
    LfadsOutput out = model.infer(test.batch(0, test.size()), samples, 7);
    double inferSeconds = seconds(t0);
    double[] r = r2(testRates, rates(out, binSeconds), neurons, bins);
    double[] rMean = r2(testRates, rates(model.infer(test.batch(0, test.size()), 0, 0), binSeconds), neurons, bins);
    System.out.printf(Locale.ROOT, "RESULT variant=%s r2_pooled=%.4f r2_neuron_mean=%.4f r2_posterior_mean_pooled=%.4f"
        + " train_s=%.0f epochs=%d steps=%d samples=%d infer_s=%.1f params=%d%n", o.get("variant"), r[0], r[1],
        rMean[0], trainSeconds, epoch, model.step(), samples, inferSeconds, model.parameterCount());
  }

  private static int integer(Map<String, String> o, String key) {
    return Integer.parseInt(o.get(key));
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static int[] permutation(int n, long seed) {
    int[] p = new int[n];
    Arrays.setAll(p, i -> i);
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }

  private static List<int[]> shuffled(List<int[]> trials, long seed) {
    int[] p = permutation(trials.size(), seed);
    List<int[]> out = new ArrayList<>(trials.size());
    for (int i : p) {
      out.add(trials.get(i));
    }
    return out;
  }

  /** LFADS output as Hz, neuron-major per trial like {@code Trial.ratesHz}. */
  private static List<double[]> rates(LfadsOutput out, double binSeconds) {
    List<double[]> r = new ArrayList<>();
    for (float[][] trial : out.rates()) {
      int bins = trial.length;
      int neurons = trial[0].length;
      double[] hz = new double[bins * neurons];
      for (int t = 0; t < bins; t++) {
        for (int j = 0; j < neurons; j++) {
          hz[j * bins + t] = trial[t][j] / binSeconds;
        }
      }
      r.add(hz);
    }
    return r;
  }

  private static List<double[]> constantRates(List<int[]> train, int neurons, int bins, int nTest, double binSeconds) {
    double[] mean = new double[neurons];
    for (int[] c : train) {
      for (int j = 0; j < neurons; j++) {
        for (int t = 0; t < bins; t++) {
          mean[j] += c[j * bins + t] / ((double) train.size() * bins * binSeconds);
        }
      }
    }
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < nTest; i++) {
      double[] hz = new double[neurons * bins];
      for (int j = 0; j < neurons; j++) {
        Arrays.fill(hz, j * bins, (j + 1) * bins, mean[j]);
      }
      out.add(hz);
    }
    return out;
  }

  /** Spike counts smoothed with a Gaussian kernel of sigma bins (normalized at the edges), in Hz. */
  private static List<double[]> smoothed(SpikeShard s, double sigma, double binSeconds) {
    int bins = s.nBins();
    int neurons = s.nOut();
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < s.size(); i++) {
      double[] hz = new double[neurons * bins];
      for (int j = 0; j < neurons; j++) {
        for (int t = 0; t < bins; t++) {
          double num = 0;
          double den = 0;
          for (int u = Math.max(0, t - (int) (4 * sigma)); u <= Math.min(bins - 1, t + (int) (4 * sigma)); u++) {
            double w = Math.exp(-0.5 * (u - t) * (u - t) / (sigma * sigma));
            num += w * s.count(i, u, j);
            den += w;
          }
          hz[j * bins + t] = num / den / binSeconds;
        }
      }
      out.add(hz);
    }
    return out;
  }

  /** {pooled R^2, mean over neurons of per-neuron R^2}; arrays neuron-major [neuron * bins + bin]. */
  static double[] r2(List<double[]> truth, List<double[]> predicted, int neurons, int bins) {
    double grand = 0;
    double[] neuronMean = new double[neurons];
    for (double[] t : truth) {
      for (int j = 0; j < neurons; j++) {
        for (int b = 0; b < bins; b++) {
          grand += t[j * bins + b];
          neuronMean[j] += t[j * bins + b] / ((double) truth.size() * bins);
        }
      }
    }
    grand /= (double) truth.size() * neurons * bins;
    double res = 0;
    double tot = 0;
    double[] resN = new double[neurons];
    double[] totN = new double[neurons];
    for (int i = 0; i < truth.size(); i++) {
      double[] t = truth.get(i);
      double[] p = predicted.get(i);
      for (int j = 0; j < neurons; j++) {
        for (int b = 0; b < bins; b++) {
          int k = j * bins + b;
          double e = p[k] - t[k];
          res += e * e;
          tot += (t[k] - grand) * (t[k] - grand);
          resN[j] += e * e;
          totN[j] += (t[k] - neuronMean[j]) * (t[k] - neuronMean[j]);
        }
      }
    }
    double meanR2 = 0;
    for (int j = 0; j < neurons; j++) {
      meanR2 += (1 - resN[j] / totN[j]) / neurons;
    }
    return new double[] {1 - res / tot, meanR2};
  }
}
