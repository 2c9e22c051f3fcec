package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Central finite differences of the full cost (fixed dropout masks and posterior noise) against the
 * backward pass, for every parameter block: per element on a sample, and along a random direction
 * per block. The math runs in float, so the tolerance is relative with a small absolute floor.
 */
class LfadsGradientTest {

  static LfadsSpec spec(boolean controller, double keepProb) {
    LfadsSpec.Builder b = LfadsSpec.builder(4, 6).icEncDim(5).g0Dim(4).genDim(6).factors(3).keepProb(keepProb)
        .klRamp(0, 10).l2Ramp(2, 10).l2Scales(50.0, 30.0).g0Prior(0.1, 1e-3).seed(11);
    if (controller) {
      b.controller(4, 5, 2).controllerLag(1);
    }
    return b.build();
  }

  @ParameterizedTest(name = "controller={0} keepProb={1}")
  @CsvSource({"false, 1.0", "true, 1.0", "false, 0.8", "true, 0.8"})
  void backwardMatchesFiniteDifferences(boolean controller, double keepProb) {
    LfadsSpec spec = spec(controller, keepProb);
    LfadsModel m = spec.build();
    m.setStep(7); // KL weight 0.7, L2 weight 0.5: the ramps are exercised too
    SpikeShard data = LfadsTestData.randomShard(3, 7, spec.nIn(), spec.nOut(), 5);
    TrialBatch tb = TrialBatch.of(LfadsTestData.batch(data), spec);
    // Perturb the initialization so no block sits at a special point (zero biases, identity maps).
    float[] theta = m.parameters();
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < theta.length; i++) {
      theta[i] += (float) (0.1 * rng.nextGaussian());
    }
    m.setParameters(theta);
    long noiseSeed = 1234;
    PassMode mode = keepProb < 1 ? PassMode.TRAIN : PassMode.SAMPLE;
    m.costAndGradient(tb, mode, noiseSeed);
    float[] g = m.gradient();
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (ParameterLayout.Block b : m.layout().blocks()) {
      // Per element: up to 6 elements of the block.
      SplittableRandom pick = new SplittableRandom(b.offset());
      for (int s = 0; s < Math.min(6, b.size()); s++) {
        int i = b.offset() + (b.size() <= 6 ? s : pick.nextInt(b.size()));
        double fd = finiteDifference(m, tb, mode, noiseSeed, theta, i, null);
        checked++;
        if (!close(fd, g[i])) {
          failures.add(b.name() + "[" + (i - b.offset()) + "] analytic " + g[i] + " numeric " + fd);
        }
      }
      // Along a random unit direction over the whole block.
      double[] dir = new double[b.size()];
      double norm = 0;
      for (int k = 0; k < dir.length; k++) {
        dir[k] = pick.nextGaussian();
        norm += dir[k] * dir[k];
      }
      double analytic = 0;
      for (int k = 0; k < dir.length; k++) {
        dir[k] /= Math.sqrt(norm);
        analytic += dir[k] * g[b.offset() + k];
      }
      double fd = finiteDifference(m, tb, mode, noiseSeed, theta, b.offset(), dir);
      if (!close(fd, analytic)) {
        failures.add(b.name() + " direction: analytic " + analytic + " numeric " + fd);
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " checks failed:\n" + String.join("\n", failures));
  }

  private static boolean close(double numeric, double analytic) {
    return Math.abs(numeric - analytic) <= 0.02 * Math.max(Math.abs(numeric), Math.abs(analytic)) + 2e-3;
  }

  /** Central difference of the cost along e_i (dir null) or along dir over the block starting at i. */
  private static double finiteDifference(LfadsModel m, TrialBatch tb, PassMode mode, long seed, float[] theta, int i,
      double[] dir) {
    double h = 1e-2;
    double[] costs = new double[2];
    for (int side = 0; side < 2; side++) {
      float[] p = theta.clone();
      double sign = side == 0 ? 1 : -1;
      if (dir == null) {
        p[i] += (float) (sign * h);
      } else {
        for (int k = 0; k < dir.length; k++) {
          p[i + k] += (float) (sign * h * dir[k]);
        }
      }
      m.setParameters(p);
      costs[side] = m.forward(tb, mode, seed).total();
    }
    m.setParameters(theta);
    return (costs[0] - costs[1]) / (2 * h);
  }
}
