package org.neurolake.pbt;

import java.util.Objects;
import org.neurolake.train.TrainingState;

/**
 * One member of a population at a generation boundary: its index, the member whose parameters and
 * optimizer state it starts the generation from ({@code parent}, itself unless it was replaced), the
 * hyperparameters it trains with, and its state.
 */
public record Member(int index, int parent, Hyperparameters hyperparameters, TrainingState state) {
  public Member {
    Objects.requireNonNull(hyperparameters, "hyperparameters");
    Objects.requireNonNull(state, "state");
  }

  /** The same member after training: same index and hyperparameters, its own parent, the new state. */
  public Member trained(TrainingState next) {
    return new Member(index, parent, hyperparameters, next);
  }
}
