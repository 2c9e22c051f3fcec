package org.neurolake.sentiment;

import java.util.List;

/**
 * Chooses the penalty C of a grid from training examples alone. The cross-validated protocols call
 * it with a fold's training part only, so C is never chosen on the examples it is scored on.
 */
public interface PenaltySelector {
  /** The score of every C of {@code grid} (grid order), estimated on {@code train} alone. */
  List<PenaltyScore> scores(ProbeExamples train, List<Double> grid);

  /** The highest score, the first in grid order on ties (an ascending grid prefers the smaller C). */
  static PenaltyScore best(List<PenaltyScore> scores) {
    PenaltyScore best = scores.get(0);
    for (PenaltyScore s : scores) {
      if (s.devAccuracy() > best.devAccuracy()) {
        best = s;
      }
    }
    return best;
  }
}
