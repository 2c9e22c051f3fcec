package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The models of a penalty grid, each fit on the training examples with one C (grid order), their
 * dev accuracies, and the one chosen: the highest dev accuracy, the first in grid order on ties (an
 * ascending grid thus prefers the smaller C, the sparser model). The test split plays no part in the
 * choice; it only scores the model chosen.
 */
public record PenaltyChoice<M>(List<PenaltyScore> scores, List<M> models) {
  public PenaltyChoice {
    if (scores.isEmpty() || scores.size() != models.size()) {
      throw new IllegalArgumentException("need one model per penalty (> 0), got " + scores.size() + " penalties and "
          + models.size() + " models");
    }
    scores = List.copyOf(scores);
    models = List.copyOf(models);
  }

  /** Scores {@code models} (fit with {@code grid}'s penalties, in order) on dev. */
  public static <M> PenaltyChoice<M> onDev(List<Double> grid, List<M> models, ToDoubleFunction<M> devAccuracy) {
    if (grid.size() != models.size()) {
      throw new IllegalArgumentException(grid.size() + " penalties but " + models.size() + " models");
    }
    List<PenaltyScore> scores = new ArrayList<>(grid.size());
    for (int i = 0; i < grid.size(); i++) {
      scores.add(new PenaltyScore(grid.get(i), devAccuracy.applyAsDouble(models.get(i))));
    }
    return new PenaltyChoice<>(scores, models);
  }

  public int chosenIndex() {
    int best = 0;
    for (int i = 1; i < scores.size(); i++) {
      if (scores.get(i).devAccuracy() > scores.get(best).devAccuracy()) {
        best = i;
      }
    }
    return best;
  }

  public PenaltyScore chosen() {
    return scores.get(chosenIndex());
  }

  public M chosenModel() {
    return models.get(chosenIndex());
  }
}
