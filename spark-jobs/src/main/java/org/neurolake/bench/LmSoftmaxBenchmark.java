package org.neurolake.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.lm.LstmLmModel;
import org.neurolake.model.lm.LstmLmSpec;

/**
 * {@code bin/bench lm-softmax [--vocabs 10000,100000] [--negatives 1024] [--batch 32] [--steps 20]
 * [--hidden 512] [--projection 256] [--repetitions 5]}: one training step (forward, backward,
 * clipping, Adagrad) of the LSTM language model with the full softmax against the importance-sampled
 * one (K negatives, log-uniform proposal), at each vocabulary size, on generated Zipf-like ids
 * (drawn from the log-uniform law, the proposal's). Each repetition times one step of every
 * configuration, starting one configuration later than the previous repetition (rotated order,
 * so a slow stretch of the machine does not land on one configuration), after one untimed warm-up
 * step each. speedup_&lt;V&gt; = median full step time / median sampled step time; _min and _max are
 * the lowest and highest per-repetition ratios. No Spark session.
 */
public final class LmSoftmaxBenchmark {
  record Options(List<Integer> vocabs, int negatives, int batch, int steps, int hidden, int projection,
      int repetitions) {
    Options {
      if (vocabs.isEmpty() || negatives < 1 || batch < 1 || steps < 1 || hidden < 1 || projection < 0
          || repetitions < 1) {
        throw new IllegalArgumentException("need vocabularies, negatives, batch, steps, hidden, repetitions >= 1 and "
            + "projection >= 0");
      }
    }

    static Options parse(String[] args) {
      Map<String, String> v = new LinkedHashMap<>(Map.of("--vocabs", "10000,100000", "--negatives", "1024",
          "--batch", "32", "--steps", "20", "--hidden", "512", "--projection", "256", "--repetitions", "5"));
      for (int i = 0; i < args.length; i++) {
        if (!v.containsKey(args[i]) || i + 1 == args.length) {
          throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options: " + v.keySet());
        }
        v.put(args[i], args[++i]);
      }
      return new Options(Arrays.stream(v.get("--vocabs").split(",")).map(String::trim).map(Integer::parseInt).toList(),
          Integer.parseInt(v.get("--negatives")), Integer.parseInt(v.get("--batch")), Integer.parseInt(v.get("--steps")),
          Integer.parseInt(v.get("--hidden")), Integer.parseInt(v.get("--projection")),
          Integer.parseInt(v.get("--repetitions")));
    }
  }

  /** One timed configuration: a vocabulary size and a softmax. */
  private record Config(int vocab, boolean sampled, LstmLmModel model) {
    String label() {
      return "V=" + vocab + (sampled ? " sampled" : " full");
    }
  }

  private LmSoftmaxBenchmark() {}

  public static void main(String[] args) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    List<Config> configs = new ArrayList<>();
    for (int v : o.vocabs()) {
      for (boolean sampled : new boolean[] {false, true}) {
        LstmLmSpec.Builder b = LstmLmSpec.builder(v).wordInput(o.projection() > 0 ? o.projection() : o.hidden())
            .layers(1).hiddenSize(o.hidden()).projectionSize(o.projection()).unrollLength(o.steps())
            .batchStreams(o.batch()).adagrad(LstmLmSpec.DEFAULT_LEARNING_RATE);
        LstmLmSpec spec = sampled ? b.sampledSoftmax(o.negatives()).build() : b.fullSoftmax().build();
        configs.add(new Config(v, sampled, spec.build()));
      }
    }
    int tokens = o.batch() * o.steps();
    System.out.printf(Locale.ROOT, "LSTM-LM step: 1 layer H=%d P=%d, batch %d x %d tokens, K=%d; %d repetitions%n",
        o.hidden(), o.projection(), o.batch(), o.steps(), o.negatives(), o.repetitions());
    SplittableRandom random = new SplittableRandom(11);
    for (Config c : configs) {
      c.model().fit(zipfBatch(c.vocab(), o.batch(), o.steps(), random, false));
    }
    double[][] seconds = new double[configs.size()][o.repetitions()];
    for (int r = 0; r < o.repetitions(); r++) {
      for (int j = 0; j < configs.size(); j++) {
        int k = (r + j) % configs.size();
        Config c = configs.get(k);
        Batch batch = zipfBatch(c.vocab(), o.batch(), o.steps(), random, true);
        long t0 = System.nanoTime();
        c.model().fit(batch);
        seconds[k][r] = (System.nanoTime() - t0) / 1e9;
      }
    }
    BenchLine line = new BenchLine("lm-softmax");
    for (int i = 0; i < o.vocabs().size(); i++) {
      double[] full = seconds[2 * i];
      double[] sampled = seconds[2 * i + 1];
      int v = o.vocabs().get(i);
      double fullMedian = Spread.of(full).median();
      double sampledMedian = Spread.of(sampled).median();
      System.out.printf(Locale.ROOT, "V=%d: full %.0f tokens/s (median %.3f s of %s), sampled %.0f tokens/s "
          + "(median %.3f s of %s)%n", v, tokens / fullMedian, fullMedian, Arrays.toString(round(full)),
          tokens / sampledMedian, sampledMedian, Arrays.toString(round(sampled)));
      String key = "speedup_" + (v % 1000 == 0 ? v / 1000 + "k" : Integer.toString(v));
      line.put(key, Spread.ofRatios(full, sampled));
    }
    System.out.println(line);
  }

  /** Ids from the log-uniform (Zipf-like) law over 0..V-1; every row continues its stream after the first batch. */
  static Batch zipfBatch(int vocab, int n, int steps, SplittableRandom random, boolean continuing) {
    float[] x = new float[n * steps];
    float[] y = new float[n * steps];
    double logV = Math.log(vocab + 1.0);
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.min(vocab - 1, (int) Math.exp(random.nextDouble() * logV) - 1);
      y[i] = Math.min(vocab - 1, (int) Math.exp(random.nextDouble() * logV) - 1);
    }
    boolean[] continues = new boolean[n];
    Arrays.fill(continues, continuing);
    long[] shape = {n, steps};
    return new Batch(Nd4j.create(x, shape, 'c'), Nd4j.create(y, shape, 'c'), null, null, continues);
  }

  private static double[] round(double[] v) {
    return Arrays.stream(v).map(x -> Math.round(x * 1000) / 1000.0).toArray();
  }
}
