package org.neurolake.model.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ModelSpecs;
import org.neurolake.model.api.ParameterBufferAssertions;
import org.neurolake.model.lm.LstmLmSpec.SoftmaxKind;

/**
 * The decoder's sampled softmax is for training only: scores are the full softmax's, training with
 * it lowers the full-softmax reconstruction, and older specs read as the full softmax. (Its gradient
 * is checked in {@link SentenceVaeGradientTest}.)
 */
class SentenceVaeSampledSoftmaxTest {
  private static SentenceVaeSpec.Builder small() {
    return SentenceVaeSpec.builder(12).sizes(8, 8, 8, 2).wordKeep(1).learningRate(0.02).seed(2);
  }

  @Test
  void scoresUseTheFullSoftmax() {
    SentenceVaeModel full = small().build().build();
    SentenceVaeModel sampled = small().softmax(SoftmaxKind.SAMPLED, 3).build().build();
    sampled.setParameters(full.parameters());
    Batch batch = VaeTestData.batch(12, new int[] {5, 3, 6}, 4);
    SentenceScores a = full.score(batch, 7);
    SentenceScores b = sampled.score(batch, 7);
    assertArrayEquals(a.recon(), b.recon(), 0);
    assertArrayEquals(a.kl(), b.kl(), 0);
  }

  @Test
  void trainingThroughTheSampledSoftmaxLowersTheFullReconstruction() {
    SentenceVaeModel model = small().softmax(SoftmaxKind.SAMPLED, 4).build().build();
    Batch batch = VaeTestData.batch(12, new int[] {5, 3, 6, 4}, 9);
    double before = sum(model.score(batch, 1).recon());
    for (int i = 0; i < 60; i++) {
      model.fit(batch);
    }
    double after = sum(model.score(batch, 1).recon());
    assertTrue(after < 0.7 * before, "full-softmax recon " + before + " -> " + after);
    ParameterBufferAssertions.assertBufferIsParameters(model);
  }

  @Test
  void negativesAreValidatedAndOlderSpecsReadAsTheFullSoftmax() {
    assertThrows(IllegalArgumentException.class, () -> SentenceVaeSpec.builder(10).softmax(SoftmaxKind.SAMPLED, 0)
        .build());
    assertThrows(IllegalArgumentException.class, () -> SentenceVaeSpec.builder(10).softmax(SoftmaxKind.FULL, -1)
        .build());
    ObjectNode old = (ObjectNode) ModelSpecs.toTree(SentenceVaeSpec.builder(10).softmax(SoftmaxKind.SAMPLED, 5)
        .build());
    old.remove("softmax");
    old.remove("negatives");
    SentenceVaeSpec read = (SentenceVaeSpec) ModelSpecs.fromTree(old);
    assertEquals(SoftmaxKind.FULL, read.softmax());
  }

  private static double sum(double[] values) {
    double s = 0;
    for (double v : values) {
      s += v;
    }
    return s;
  }
}
