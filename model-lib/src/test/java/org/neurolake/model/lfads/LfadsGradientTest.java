package org.neurolake.model.lfads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.neurolake.model.api.ComputePath;

/**
 * The float model's backward pass against a double-precision reference ({@link LfadsReference},
 * a forward pass written from the equations), for every element of every parameter block and for
 * every cost term on its own: the reconstruction (Poisson NLL), the KL terms (initial condition and
 * inferred inputs) and the L2 penalty. The reference's gradient is its central differences in
 * double precision (step 1e-5: truncation and rounding both near 1e-9 relative here), so the float
 * model is checked to float accuracy, not to a finite-difference tolerance. The model's terms are
 * separated through the ramps: at step 0 both weights are 0 (the gradient is the NLL's), at step 1
 * the KL weight is klScale (1, or the scale a case sets), at step 2 the L2 weight is 1 too, so
 * differences of gradients give each term's (the KL difference divided by klScale), and the total
 * cost must be nll + klScale KL + L2. Both compute paths are checked: the fused CPU pass and the
 * ND4J pass ({@link Nd4jLfadsPass}).
 * Dropout masks (coordinated dropout's too: the reference takes its input mask and decides itself
 * which reconstruction entries count) and posterior noise are fixed by the seed and shared with
 * the reference. Each term
 * must also have a non-negligible gradient in every block it depends on, and none in the others.
 */
class LfadsGradientTest {
  /** A cost term: its value in a forward pass of each implementation, and the blocks it depends on. */
  private record Term(String name, ToDoubleFunction<CostTerms> value, ToDoubleFunction<LfadsReference.Terms> reference,
      Predicate<String> dependsOn) {}

  /** Float rounding of the model's gradient, relative to the largest gradient of the term in the block (the worst seen: 1e-5). */
  private static final double TOLERANCE = 1e-4;

  static LfadsSpec spec(boolean controller, double keepProb) {
    return spec(controller, keepProb, 0.0);
  }

  static LfadsSpec spec(boolean controller, double keepProb, double coordinatedDropout) {
    return spec(controller, keepProb, coordinatedDropout, 1.0, ComputePath.FUSED_CPU);
  }

  static LfadsSpec spec(boolean controller, double keepProb, double coordinatedDropout, double klScale,
      ComputePath compute) {
    LfadsSpec.Builder b = LfadsSpec.builder(4, 6).compute(compute).icEncDim(5).g0Dim(4).genDim(6).factors(3)
        .keepProb(keepProb).coordinatedDropout(coordinatedDropout).klScale(klScale)
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
        new Term("nll", CostTerms::nll, LfadsReference.Terms::nll, prior.negate()),
        new Term("kl", c -> c.klG0() + c.klU(), r -> r.klG0() + r.klU(), klDeps),
        new Term("l2", CostTerms::l2, LfadsReference.Terms::l2, n -> n.matches("(gen|con)/wh_(ru|c)")));
  }

  @ParameterizedTest(name = "controller={0} keepProb={1} coordinatedDropout={2} klScale={3} compute={4}")
  @CsvSource({"false, 1.0, 0, 1, fused-cpu", "true, 1.0, 0, 1, fused-cpu", "false, 0.8, 0, 1, fused-cpu",
      "true, 0.8, 0, 1, fused-cpu", "false, 1.0, 0.3, 1, fused-cpu", "true, 0.8, 0.3, 1, fused-cpu",
      "false, 1.0, 0, 3.5, fused-cpu", "true, 0.8, 0.3, 0.2, fused-cpu", "false, 0.8, 0.3, 1, nd4j",
      "true, 1.0, 0, 1, nd4j", "true, 0.8, 0.3, 1, nd4j", "true, 0.8, 0.3, 0.2, nd4j"})
  void everyTermsGradientMatchesTheDoublePrecisionReferenceInEveryElement(boolean controller, double keepProb,
      double coordinatedDropout, double klScale, String compute) {
    LfadsSpec spec = spec(controller, keepProb, coordinatedDropout, klScale, ComputePath.of(compute));
    LfadsModel m = spec.build();
    assertEquals(ComputePath.of(compute), m.compute());
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
    PassMode mode = keepProb < 1 || coordinatedDropout > 0 ? PassMode.TRAIN : PassMode.SAMPLE;
    float[][] cumulative = new float[3][];
    CostTerms cost = null;
    for (int step = 0; step < 3; step++) {
      m.setStep(step); // weights (KL, L2): (0, 0), (klScale, 0), (klScale, 1)
      cost = m.costAndGradient(tb, mode, noiseSeed);
      cumulative[step] = m.gradient();
    }
    List<Term> terms = terms(controller);
    double[][] analytic = new double[3][theta.length];
    for (int i = 0; i < theta.length; i++) {
      analytic[0][i] = cumulative[0][i];
      // The KL term's own gradient: the step-1 difference is klScale times it.
      analytic[1][i] = ((double) cumulative[1][i] - cumulative[0][i]) / klScale;
      analytic[2][i] = (double) cumulative[2][i] - cumulative[1][i];
    }

    LfadsReference reference = new LfadsReference(spec);
    PassNoise noise = new PassNoise(spec, tb.trials(), tb.bins(), mode, noiseSeed);
    if (coordinatedDropout > 0) {
      assertCoordinatedDropoutDropsSomeAndKeepsSome(noise, spec);
    }
    double[] p = new double[theta.length];
    for (int i = 0; i < p.length; i++) {
      p[i] = theta[i];
    }
    List<String> failures = new ArrayList<>();
    LfadsReference.Terms at = reference.forward(p, tb, noise);
    double wantTotal = at.nll() + klScale * (at.klG0() + at.klU()) + at.l2();
    if (Math.abs(wantTotal - cost.total()) > 1e-5 * Math.abs(wantTotal) + 1e-6) {
      failures.add("total at step 2: the model's " + cost.total() + " differs from nll + klScale KL + L2 of the"
          + " reference, " + wantTotal);
    }
    for (Term term : terms) {
      double want = term.reference().applyAsDouble(at);
      double got = term.value().applyAsDouble(cost);
      if (Math.abs(want - got) > 1e-5 * Math.abs(want) + 1e-6) {
        failures.add(term.name() + ": the model's value " + got + " differs from the reference's " + want);
      }
    }
    double[][] expected = referenceGradients(reference, p, tb, noise, terms);
    int checked = 0;
    for (ParameterLayout.Block b : m.layout().blocks()) {
      for (int t = 0; t < terms.size(); t++) {
        Term term = terms.get(t);
        double largest = 0;
        for (int k = b.offset(); k < b.offset() + b.size(); k++) {
          largest = Math.max(largest, Math.abs(expected[t][k]));
        }
        boolean depends = term.dependsOn().test(b.name());
        if (depends && largest < 1e-4) {
          failures.add(term.name() + " " + b.name() + ": no gradient to check (largest " + largest + ")");
        } else if (!depends && largest > 1e-9) {
          failures.add(term.name() + " " + b.name() + ": the reference has a gradient (largest " + largest
              + ") in a block the term does not depend on");
        }
        for (int k = b.offset(); k < b.offset() + b.size(); k++) {
          checked++;
          if (!depends && analytic[t][k] != 0) {
            failures.add(term.name() + " " + b.name() + "[" + (k - b.offset()) + "]: a gradient " + analytic[t][k]
                + " in a block the term does not depend on");
          } else if (Math.abs(analytic[t][k] - expected[t][k]) > TOLERANCE * largest + 1e-7) {
            failures.add(term.name() + " " + b.name() + "[" + (k - b.offset()) + "]: model " + analytic[t][k]
                + ", reference " + expected[t][k] + " (largest in block " + largest + ")");
          }
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.size() + " of " + checked + " checks failed:\n"
        + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
  }

  /** The mask must drop some held-in entries and keep others, or the configuration would test nothing new. */
  private static void assertCoordinatedDropoutDropsSomeAndKeepsSome(PassNoise noise, LfadsSpec spec) {
    int dropped = 0;
    for (float v : noise.maskCd) {
      dropped += v == 0f ? 1 : 0;
    }
    assertTrue(dropped > 0 && dropped < noise.maskCd.length, dropped + " of " + noise.maskCd.length + " dropped");
    assertEquals(1.0 / (1.0 - spec.coordinatedDropout()), maxOf(noise.maskCd), 1e-6);
  }

  private static double maxOf(float[] a) {
    double m = 0;
    for (float v : a) {
      m = Math.max(m, v);
    }
    return m;
  }

  /** Central differences of the reference's terms along every parameter, in double precision: [term][parameter]. */
  private static double[][] referenceGradients(LfadsReference reference, double[] p, TrialBatch tb, PassNoise noise,
      List<Term> terms) {
    double h = 1e-5;
    double[][] out = new double[terms.size()][p.length];
    for (int i = 0; i < p.length; i++) {
      double saved = p[i];
      p[i] = saved + h;
      LfadsReference.Terms plus = reference.forward(p, tb, noise);
      p[i] = saved - h;
      LfadsReference.Terms minus = reference.forward(p, tb, noise);
      p[i] = saved;
      for (int t = 0; t < terms.size(); t++) {
        ToDoubleFunction<LfadsReference.Terms> v = terms.get(t).reference();
        out[t][i] = (v.applyAsDouble(plus) - v.applyAsDouble(minus)) / (2 * h);
      }
    }
    return out;
  }
}
