package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Learning works: trials of a 2-D limit cycle (a rotation at a fixed angular speed from a random
 * phase and radius that relaxes to 1), read out by 24 Poisson neurons with log-linear rates.
 * A short single-process training brings the posterior-mean rates of held-out trials far closer to
 * the true rates than the untrained model and than each neuron's mean rate.
 */
class LfadsLearningTest {
  static final int NEURONS = 24;
  static final int BINS = 40;

  /** Rates (expected counts per bin) [trial][bin][neuron] and Poisson counts of them. */
  record Synthetic(double[][][] rates, SpikeShard shard) {}

  static Synthetic limitCycle(int trials, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    SplittableRandom readout = new SplittableRandom(99);
    double[][] c = new double[NEURONS][2];
    double[] bias = new double[NEURONS];
    for (int j = 0; j < NEURONS; j++) {
      double angle = 2 * Math.PI * j / NEURONS;
      c[j][0] = 1.0 * Math.cos(angle) + 0.2 * readout.nextGaussian();
      c[j][1] = 1.0 * Math.sin(angle) + 0.2 * readout.nextGaussian();
      bias[j] = Math.log(0.6) + 0.2 * readout.nextGaussian();
    }
    double[][][] rates = new double[trials][BINS][NEURONS];
    float[] counts = new float[trials * BINS * NEURONS];
    for (int i = 0; i < trials; i++) {
      double phase = 2 * Math.PI * rng.nextDouble();
      double radius = 0.3 + 1.2 * rng.nextDouble();
      for (int t = 0; t < BINS; t++) {
        double x = radius * Math.cos(phase);
        double y = radius * Math.sin(phase);
        for (int j = 0; j < NEURONS; j++) {
          rates[i][t][j] = Math.exp(bias[j] + c[j][0] * x + c[j][1] * y);
          counts[(i * BINS + t) * NEURONS + j] = LfadsTestData.poisson(rng, rates[i][t][j]);
        }
        phase += 0.25;
        radius += 0.1 * (1 - radius);
      }
    }
    return new Synthetic(rates, new SpikeShard(counts, trials, BINS, NEURONS, NEURONS));
  }

  /** Pooled R^2 of predicted vs true rates over all trials, bins and neurons. */
  static double rSquared(double[][][] truth, float[][][] predicted) {
    double mean = 0;
    long n = 0;
    for (double[][] trial : truth) {
      for (double[] bin : trial) {
        for (double v : bin) {
          mean += v;
          n++;
        }
      }
    }
    mean /= n;
    double ssRes = 0;
    double ssTot = 0;
    for (int i = 0; i < truth.length; i++) {
      for (int t = 0; t < truth[i].length; t++) {
        for (int j = 0; j < truth[i][t].length; j++) {
          ssRes += Math.pow(predicted[i][t][j] - truth[i][t][j], 2);
          ssTot += Math.pow(truth[i][t][j] - mean, 2);
        }
      }
    }
    return 1 - ssRes / ssTot;
  }

  /** Each neuron's mean count over the training trials, as a prediction for every bin of the test trials. */
  static float[][][] neuronMeans(SpikeShard train, int testTrials) {
    float[] means = new float[NEURONS];
    for (int i = 0; i < train.size(); i++) {
      for (int t = 0; t < BINS; t++) {
        for (int j = 0; j < NEURONS; j++) {
          means[j] += train.count(i, t, j) / (float) (train.size() * BINS);
        }
      }
    }
    float[][][] out = new float[testTrials][BINS][];
    for (int i = 0; i < testTrials; i++) {
      for (int t = 0; t < BINS; t++) {
        out[i][t] = means.clone();
      }
    }
    return out;
  }

  @Test
  void trainingRecoversTheRatesOfHeldOutTrials() {
    Synthetic train = limitCycle(300, 1);
    Synthetic test = limitCycle(60, 2);
    LfadsSpec spec = LfadsSpec.builder(NEURONS, NEURONS).icEncDim(32).g0Dim(8).genDim(32).factors(4)
        .klRamp(0, 100).l2Ramp(0, 100).learningRate(0.015).seed(3).build();
    LfadsModel m = spec.build();
    var testBatch = test.shard().batch(0, 60);
    double initial = rSquared(test.rates(), m.infer(testBatch, 0, 0).rates());
    double baseline = rSquared(test.rates(), neuronMeans(train.shard(), 60));
    long t0 = System.nanoTime();
    int steps = 300;
    for (int s = 0; s < steps; s++) {
      m.fit(train.shard().batch(s * 30, 30));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    double trained = rSquared(test.rates(), m.infer(testBatch, 0, 0).rates());
    System.out.printf("limit cycle: R^2 initial %.3f, neuron means %.3f, trained %.3f after %d steps (%.1f s)%n",
        initial, baseline, trained, steps, seconds);
    // Measured: initial -0.22, neuron means 0.10, trained 0.94 (300 steps, about 5 s on a loaded 2-core machine).
    assertTrue(trained > 0.85, "trained R^2 " + trained);
    assertTrue(trained > baseline + 0.5, "trained R^2 " + trained + " vs neuron means " + baseline);
    assertTrue(trained > initial + 0.5, "trained R^2 " + trained + " vs initial " + initial);
  }
}
