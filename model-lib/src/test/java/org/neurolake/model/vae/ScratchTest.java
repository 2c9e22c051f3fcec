package org.neurolake.model.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.profiler.ProfilerConfig;
import org.neurolake.model.api.Batch;

/**
 * The model's passes keep their arrays in the thread's {@link Scratch} workspaces: a training step
 * fills the pass workspace with at least its logits; importance sampling with 12 samples needs no
 * larger pass workspace than with 1 (each sample in its own scope); and with ND4J's workspace
 * checks on, no operation of training, scoring, importance sampling, greedy or beam decoding reads
 * an array of a closed scope.
 */
class ScratchTest {
  /** This thread's workspaces are JVM-wide: other tests' passes must not have sized them already. */
  @BeforeEach
  void freshWorkspaces() {
    Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
  }

  @AfterEach
  void checksOff() {
    Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().build());
  }

  @Test
  void aTrainingStepsArraysAreInThePassWorkspace() {
    int vocab = 40;
    SentenceVaeModel model = SentenceVaeSpec.builder(vocab).sizes(8, 8, 8, 3).seed(2).build().build();
    Batch batch = VaeTestData.batch(vocab, new int[] {30, 20, 25, 30}, 1);
    model.fit(batch);
    MemoryWorkspace pass = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(Scratch.PASS);
    // The logits [T n, V] alone: 30 x 4 x 40 floats.
    long logits = 30L * 4 * vocab * Float.BYTES;
    assertTrue(pass.getCurrentSize() >= logits, "pass workspace " + pass.getCurrentSize() + " B < logits " + logits);
  }

  @Test
  void importanceSamplesDoNotAccumulateInThePass() {
    int vocab = 60;
    SentenceVaeModel model = SentenceVaeSpec.builder(vocab).sizes(8, 8, 8, 3).seed(2).build().build();
    Batch batch = VaeTestData.batch(vocab, new int[] {30, 22, 25, 30, 12}, 3);
    // Two calls each: the first sizes the workspace (it learns from its first scope), the second reuses it.
    model.importanceSampledLogLikelihood(batch, 1, 5);
    model.importanceSampledLogLikelihood(batch, 1, 5);
    long one = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(Scratch.PASS).getCurrentSize();
    model.importanceSampledLogLikelihood(batch, 12, 5);
    model.importanceSampledLogLikelihood(batch, 12, 5);
    long twelve = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(Scratch.PASS).getCurrentSize();
    assertEquals(one, twelve, "the pass workspace after 1 and after 12 samples");
    long step = Nd4j.getWorkspaceManager().getWorkspaceForCurrentThread(Scratch.STEP).getCurrentSize();
    // One sample's decoder pass: at least its logits [T n, V].
    assertTrue(step >= 30L * 5 * vocab * Float.BYTES, "step workspace " + step);
  }

  @Test
  void noOperationReadsAnArrayOfAClosedScope() {
    Nd4j.getExecutioner().setProfilingConfig(ProfilerConfig.builder().checkWorkspaces(true).build());
    int vocab = 30;
    for (SentenceVaeSpec.EncoderKind encoder : SentenceVaeSpec.EncoderKind.values()) {
      SentenceVaeModel model = SentenceVaeSpec.builder(vocab).sizes(6, 6, 6, 2).encoder(encoder).seed(4).build()
          .build();
      Batch batch = VaeTestData.batch(vocab, new int[] {9, 5, 7}, 2);
      for (int i = 0; i < 3; i++) {
        model.fit(batch);
      }
      model.evaluate(batch);
      model.importanceSampledLogLikelihood(batch, 4, 1);
      double[][] z = model.posteriorMeans(batch);
      model.tokenLogLikelihoods(batch, z);
      model.greedyDecode(z, 6, 1, new int[][] {{3}, {}, {4, 5}});
      int[][] fills = model.beamComplete(z, new int[][] {{3}, {}, {4, 5}}, new int[] {3, 2, 4}, 1, 4);
      assertEquals(3, fills.length);
    }
  }
}
