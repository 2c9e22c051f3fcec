package org.neurolake.pbt;

import java.util.List;
import java.util.Objects;
import org.neurolake.train.TrainingRun;
import org.neurolake.train.TrainingState;

/**
 * The best member state a search has seen at any generation boundary by its selection metric: the
 * generation and member it was, its hyperparameters, metric value, state and evaluations. Selecting
 * it rather than the last generation's best is early stopping on the validation split: a member that
 * peaked and then overfit (or whose copy was perturbed into a worse region) is not lost.
 */
public record BestSeen(int generation, int member, Hyperparameters hyperparameters, double value, TrainingState state,
    List<TrainingRun.Evaluation> evaluations) {
  public BestSeen {
    Objects.requireNonNull(hyperparameters, "hyperparameters");
    Objects.requireNonNull(state, "state");
    evaluations = List.copyOf(evaluations);
  }

  /**
   * {@code current} or the candidate, whichever is better by {@code direction}; the earlier one (the
   * current) on ties, so that the choice is the first best in (generation, member) order.
   */
  public static BestSeen better(BestSeen current, BestSeen candidate, PbtConfig.Direction direction) {
    if (current == null) {
      return candidate;
    }
    return direction.better(candidate.value(), current.value()) ? candidate : current;
  }

  /** As a member (index and parent = the member it was), for writing the run's result. */
  public Member asMember() {
    return new Member(member, member, hyperparameters, state);
  }
}
