package org.neurolake.model.vae;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where the arrays of one pass of the sentence VAE live: an ND4J workspace of the calling thread,
 * opened with try-with-resources around the pass. Outside a workspace every ND4J result is a
 * native buffer that only the garbage collector frees (when it collects the Java object), and a
 * pass makes far more native than heap garbage (a training step's logits alone are T n V floats:
 * 100 MB at PTB's size), so native memory grew by gigabytes between collections. In a workspace
 * the next pass reuses the same block: the memory held is the largest pass's, per thread.
 *
 * <p>Contract: nothing allocated inside may be used after the scope closes. Results leave as Java
 * arrays, or as copies made with {@code detach()}; the parameters are allocated outside and only
 * written in place ({@code assign}).
 */
final class Scratch {
  /** A whole pass: a training step, a scoring batch, an encoding, a decode. */
  static final String PASS = "sentence-vae-pass";
  /** One unit inside a pass whose arrays are not needed after it: an importance sample, a beam step. */
  static final String STEP = "sentence-vae-step";

  /**
   * Grows to the largest pass seen (spills reallocate the block at the end of the scope), 20% over
   * to absorb the variation of sentence lengths; the block is reused from its start at each open.
   */
  private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
      .initialSize(0)
      .overallocationLimit(0.2)
      .policyAllocation(AllocationPolicy.OVERALLOCATE)
      .policyLearning(LearningPolicy.FIRST_LOOP)
      .policyReset(ResetPolicy.BLOCK_LEFT)
      .policySpill(SpillPolicy.REALLOCATE)
      .build();

  private Scratch() {}

  /** Opens (activates) this thread's workspace {@code id}; close it to end the scope. */
  static MemoryWorkspace open(String id) {
    return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, id);
  }
}
