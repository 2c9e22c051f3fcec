package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Central finite differences against the backward pass, for every parameter block and every cost
 * term on its own: the reconstruction (Poisson NLL), the KL terms (initial condition and inferred
 * inputs) and the L2 penalty. The terms are separated through the ramps: at step 0 both weights
 * are 0 (the gradient is the NLL's), at step 1 the KL weight is 1, at step 2 the L2 weight too, so
 * differences of gradients give each term's. Dropout masks and posterior noise are fixed by the
 * seed. The math runs in float, so the NLL and KL checks are relative (2%) with a small absolute
 * floor; the L2 term is quadratic, its differences are exact up to rounding, and it is checked to
 * 0.1%. Each term must also have a non-negligible gradient in every block it depends on, and none
 * in the others.
 */
class LfadsGradientTest {
  /** A cost term: its value in a forward pass, how closely it is checked, and the blocks it depends on. */
  private record Term(String name, ToDoubleFunction<CostTerms> value, double relTol, double absTol,
      Predicate<String> dependsOn) {}

  static LfadsSpec spec(boolean controller, double keepProb) {
    LfadsSpec.Builder b = LfadsSpec.builder(4, 6).icEncDim(5).g0Dim(4).genDim(6).factors(3).keepProb(keepProb)
        .klRamp(1, 0).l2Ramp(2, 0).l2Scales(50.0, 30.0).g0Prior(0.1, 1e-3).seed(11);
    if (controller) {
      b.controller(4, 5, 2).controllerLag(1);
    }
    return b.build();
  }

  private static List<Term> terms(boolean controller) {
    Predicate<String> prior = n -> n.startsWith("g0_prior/") || n.startsWith("u_prior/");
    Predicate<String> icPath = n -> n.startsWith("ic_enc_") || n.startsWith("g0_post/") || n.startsWith("g0_prior/");
    // With the controller the inferred inputs' KL depends on everything upstream of the controller,
    // the previous factors included; never on the readout.
    Predicate<String> klDeps = controller ? n -> !n.startsWith("readout/") : icPath;
    return List.of(
        new Term("nll", CostTerms::nll, 0.02, 2e-3, prior.negate()),
        new Term("kl", c -> c.klG0() + c.klU(), 0.02, 2e-3, klDeps),
        new Term("l2", CostTerms::l2, 1e-3, 1e-6, n -> n.matches("(gen|con)/wh_(ru|c)")));
  }

  @ParameterizedTest(name = "controller={0} keepProb={1}")
  @CsvSource({"false, 1.0", "true, 1.0", "false, 0.8", "true, 0.8"})
  void everyTermsGradientMatchesFiniteDifferencesInEveryBlock(boolean controller, double keepProb) {
    LfadsSpec spec = spec(controller, keepProb);
    LfadsModel m = spec.build();
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
    float[][] cumulative = new float[3][];
    for (int step = 0; step < 3; step++) {
      m.setStep(step); // weights (KL, L2): (0, 0), (1, 0), (1, 1)
      m.costAndGradient(tb, mode, noiseSeed);
      cumulative[step] = m.gradient();
    }
    m.setStep(2);
    List<Term> terms = terms(controller);
    double[][] analytic = new double[3][theta.length];
    for (int i = 0; i < theta.length; i++) {
      analytic[0][i] = cumulative[0][i];
      analytic[1][i] = (double) cumulative[1][i] - cumulative[0][i];
      analytic[2][i] = (double) cumulative[2][i] - cumulative[1][i];
    }

    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (ParameterLayout.Block b : m.layout().blocks()) {
      SplittableRandom pick = new SplittableRandom(b.offset());
      // Per element: every element of a small block, 8 of a large one.
      int[] elements = b.size() <= 12 ? java.util.stream.IntStream.range(0, b.size()).toArray()
          : pick.ints(8, 0, b.size()).toArray();
      for (int e : elements) {
        int i = b.offset() + e;
        double[] fd = finiteDifferences(m, tb, mode, noiseSeed, theta, i, null, terms);
        for (int t = 0; t < terms.size(); t++) {
          checked++;
          if (!close(terms.get(t), fd[t], analytic[t][i])) {
            failures.add(terms.get(t).name() + " " + b.name() + "[" + e + "] analytic " + analytic[t][i] + " numeric "
                + fd[t]);
          }
        }
      }
      // Along a random unit direction over the whole block.
      double[] dir = new double[b.size()];
      double norm = 0;
      for (int k = 0; k < dir.length; k++) {
        dir[k] = pick.nextGaussian();
        norm += dir[k] * dir[k];
      }
      for (int k = 0; k < dir.length; k++) {
        dir[k] /= Math.sqrt(norm);
      }
      double[] fd = finiteDifferences(m, tb, mode, noiseSeed, theta, b.offset(), dir, terms);
      for (int t = 0; t < terms.size(); t++) {
        Term term = terms.get(t);
        double along = 0;
        double largest = 0;
        for (int k = 0; k < dir.length; k++) {
          along += dir[k] * analytic[t][b.offset() + k];
          largest = Math.max(largest, Math.abs(analytic[t][b.offset() + k]));
        }
        checked++;
        if (!close(term, fd[t], along)) {
          failures.add(term.name() + " " + b.name() + " direction: analytic " + along + " numeric " + fd[t]);
        }
        boolean depends = term.dependsOn().test(b.name());
        if (depends && largest < 1e-3) {
          failures.add(term.name() + " " + b.name() + ": no gradient to check (largest " + largest + ")");
        } else if (!depends && largest != 0) {
          failures.add(term.name() + " " + b.name() + ": a gradient (largest " + largest + ") in a block it does not"
              + " depend on");
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " checks failed:\n" + String.join("\n", failures));
  }

  private static boolean close(Term t, double numeric, double analytic) {
    return Math.abs(numeric - analytic) <= t.relTol() * Math.max(Math.abs(numeric), Math.abs(analytic)) + t.absTol();
  }

  /**
   * Central differences of every term along e_i (dir null) or along dir over the block starting at
   * i; the pass's weights do not matter, each term's own value is differenced.
   */
  private static double[] finiteDifferences(LfadsModel m, TrialBatch tb, PassMode mode, long seed, float[] theta,
      int i, double[] dir, List<Term> terms) {
    double h = 1e-2;
    CostTerms[] costs = new CostTerms[2];
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
      costs[side] = m.forward(tb, mode, seed);
    }
    m.setParameters(theta);
    double[] out = new double[terms.size()];
    for (int t = 0; t < terms.size(); t++) {
      ToDoubleFunction<CostTerms> v = terms.get(t).value();
      out[t] = (v.applyAsDouble(costs[0]) - v.applyAsDouble(costs[1])) / (2 * h);
    }
    return out;
  }
}
