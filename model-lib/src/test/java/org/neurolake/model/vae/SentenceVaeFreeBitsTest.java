package org.neurolake.model.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpecs;

/**
 * Free bits in the training loss: each latent dimension's batch KL below λ counts as λ (its gradient
 * is checked in {@link SentenceVaeGradientTest}); the evaluation's per-sentence KL stays the plain one.
 */
class SentenceVaeFreeBitsTest {
  @Test
  void theLossCountsEachDimensionsKlAsAtLeastLambda() {
    SentenceVaeSpec plain = SentenceVaeGradientTest.tiny().build();
    Batch batch = SentenceVaeGradientTest.checkBatch(plain);
    double[] kl = SentenceVaeGradientTest.prepared(plain).klPerDimension(batch);
    double lambda = (kl[0] + kl[1]) / 2;
    SentenceVaeSpec free = SentenceVaeGradientTest.tiny().freeBits(lambda).build();
    double beta = plain.klWeight(5);
    double expected = beta * (Math.max(lambda, kl[0]) - kl[0] + Math.max(lambda, kl[1]) - kl[1]);
    assertTrue(expected > 1e-4, "lambda must raise one dimension's KL: " + expected);
    double difference = SentenceVaeGradientTest.prepared(free).trainingLoss(batch)
        - SentenceVaeGradientTest.prepared(plain).trainingLoss(batch);
    assertEquals(expected, difference, 1e-9);

    SentenceScores plainScores = SentenceVaeGradientTest.prepared(plain).score(batch, 3);
    SentenceScores freeScores = SentenceVaeGradientTest.prepared(free).score(batch, 3);
    assertEquals(java.util.Arrays.toString(plainScores.kl()), java.util.Arrays.toString(freeScores.kl()),
        "evaluation reports the plain KL");
  }

  @Test
  void freeBitsAreValidatedAndOlderSpecsReadAsNone() {
    assertThrows(IllegalArgumentException.class, () -> SentenceVaeSpec.builder(10).freeBits(-0.1).build());
    assertThrows(IllegalArgumentException.class,
        () -> SentenceVaeSpec.builder(10).freeBits(Double.POSITIVE_INFINITY).build());
    ObjectNode old = (ObjectNode) ModelSpecs.toTree(SentenceVaeSpec.builder(10).freeBits(0.5).build());
    old.remove("freeBits");
    assertEquals(0.0, ((SentenceVaeSpec) ModelSpecs.fromTree(old)).freeBits());
  }
}
