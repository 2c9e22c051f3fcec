package org.neurolake.model.vae;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.neurolake.model.api.Batch;
import org.neurolake.model.lm.LstmLmSpec;
import org.neurolake.model.lm.ParameterLayout;

/**
 * Finite-difference checks of every parameter group's gradient, computed by the model's own ND4J
 * pass in double precision, of the training loss mean(recon + beta KL) at a step where beta is
 * between 0 and 1, with word dropout and the reparameterization noise fixed by the step: the VAE
 * (z into the initial state only, and also at every step) and the RNNLM baseline, each with LSTM
 * and with GRU cells, the VAE with free bits, and both with the sampled softmax. Sentences of
 * different lengths check the padding.
 */
class SentenceVaeGradientTest {
  static SentenceVaeSpec.Builder tiny() {
    return SentenceVaeSpec.builder(9).sizes(4, 3, 4, 2).wordKeep(0.6).annealing(Annealing.LOGISTIC, 0.5, 6)
        .clipNorm(0).seed(3);
  }

  @Test
  void vaeWithLatentInTheInitialState() {
    check(tiny().build());
  }

  @Test
  void vaeWithLatentAtEveryStep() {
    check(tiny().latentEveryStep(true).wordKeep(0).build());
  }

  @Test
  void gruVaeWithLatentInTheInitialState() {
    check(tiny().cell(SentenceVaeSpec.Cell.GRU).build());
  }

  @Test
  void gruVaeWithLatentAtEveryStep() {
    check(tiny().cell(SentenceVaeSpec.Cell.GRU).latentEveryStep(true).wordKeep(0).build());
  }

  @Test
  void gruRnnlmBaseline() {
    check(tiny().cell(SentenceVaeSpec.Cell.GRU).encoder(SentenceVaeSpec.EncoderKind.NONE).wordKeep(1).build());
  }

  /**
   * Free bits λ between the two latent dimensions' batch KL: one dimension's KL is in the loss (with
   * its gradient), the other's is replaced by the constant λ (no gradient through it).
   */
  @Test
  void vaeWithFreeBitsBetweenTheDimensionsKl() {
    double[] kl = prepared(tiny().build()).klPerDimension(checkBatch(tiny().build()));
    assertTrue(Math.abs(kl[0] - kl[1]) > 1e-3, "the dimensions' KL must be apart for a clean check: "
        + java.util.Arrays.toString(kl));
    check(tiny().freeBits((kl[0] + kl[1]) / 2).build());
  }

  /** The decoder through the word LM's sampled softmax: 4 negatives of the 9 words, fixed by the step. */
  @Test
  void vaeWithTheSampledSoftmax() {
    check(tiny().softmax(LstmLmSpec.SoftmaxKind.SAMPLED, 4).build());
  }

  @Test
  void rnnlmBaselineWithTheSampledSoftmax() {
    check(tiny().encoder(SentenceVaeSpec.EncoderKind.NONE).wordKeep(1).softmax(LstmLmSpec.SoftmaxKind.SAMPLED, 4)
        .build());
  }

  @Test
  void rnnlmBaseline() {
    check(tiny().encoder(SentenceVaeSpec.EncoderKind.NONE).wordKeep(1).build());
  }

  /** The model of a check: double precision, seeded random parameters, at step 5 (beta in (0, 1)). */
  static SentenceVaeModel prepared(SentenceVaeSpec spec) {
    SentenceVaeModel model = new SentenceVaeModel(spec, DataType.DOUBLE);
    model.setParameters(VaeTestData.randomParameters(model.layout().size(), 4));
    model.setStep(5);
    return model;
  }

  static Batch checkBatch(SentenceVaeSpec spec) {
    return VaeTestData.batch(spec.vocabSize(), new int[] {4, 2, 5}, 7);
  }

  private static void check(SentenceVaeSpec spec) {
    SentenceVaeModel model = prepared(spec);
    ParameterLayout l = model.layout();
    double[] p = VaeTestData.randomParameters(l.size(), 4); // prepared()'s
    Batch batch = checkBatch(spec);
    double eps = 1e-6;
    double[] numeric = new double[p.length];
    for (ParameterLayout.Group g : l.groups()) {
      for (int i : indices(g)) {
        double keep = p[i];
        p[i] = keep + eps;
        model.setParameters(p);
        double up = model.trainingLoss(batch);
        p[i] = keep - eps;
        model.setParameters(p);
        double down = model.trainingLoss(batch);
        p[i] = keep;
        numeric[i] = (up - down) / (2 * eps);
      }
    }
    model.setParameters(p);
    double[] analytic = model.lossAndGradient(batch).gradient();
    StringBuilder failures = new StringBuilder();
    for (ParameterLayout.Group g : l.groups()) {
      double worst = 0;
      double largest = 0;
      for (int i : indices(g)) {
        worst = Math.max(worst, Math.abs(numeric[i] - analytic[i]));
        largest = Math.max(largest, Math.abs(analytic[i]));
      }
      if (!(largest > 1e-5)) {
        failures.append(g.name()).append(" has no gradient to check (largest ").append(largest).append("); ");
      } else if (!(worst < 1e-8 + 1e-5 * largest)) {
        failures.append(g.name()).append(": finite differences differ by ").append(worst)
            .append(" (largest gradient ").append(largest).append("); ");
      }
    }
    assertTrue(failures.isEmpty(), failures.toString());
  }

  /** A group's indices: all of a small one, 25 at random of a large one. */
  static int[] indices(ParameterLayout.Group g) {
    if (g.size() <= 30) {
      return IntStream.range(g.offset(), g.end()).toArray();
    }
    return new SplittableRandom(g.offset()).ints(25, g.offset(), g.end()).distinct().toArray();
  }
}
