package org.neurolake.train;

import java.io.Serializable;

/** The learning rate of each round: constant, or decaying linearly to {@code finalFraction} of the base. */
public record LearningRateSchedule(Kind kind, double base, double finalFraction) implements Serializable {
  public enum Kind { CONSTANT, LINEAR }

  public LearningRateSchedule {
    if (!(base > 0) || !(finalFraction >= 0 && finalFraction <= 1)) {
      throw new IllegalArgumentException("learning rate must be > 0 and the final fraction in [0, 1]");
    }
  }

  public double rate(int round, int rounds) {
    return switch (kind) {
      case CONSTANT -> base;
      case LINEAR -> base * (1 - (1 - finalFraction) * round / (double) Math.max(1, rounds));
    };
  }
}
