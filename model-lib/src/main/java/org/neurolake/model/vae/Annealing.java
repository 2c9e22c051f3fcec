package org.neurolake.model.vae;

/**
 * The KL term's weight over the global step (Bowman et al.'s KL-cost annealing): from 0 towards 1
 * along a logistic curve 1 / (1 + exp(-k (step - x0))), or linearly as min(1, step / x0); or 1
 * throughout (no annealing).
 */
public enum Annealing {
  LOGISTIC {
    @Override
    double weight(long step, double k, double x0) {
      return 1 / (1 + Math.exp(-k * (step - x0)));
    }
  },
  LINEAR {
    @Override
    double weight(long step, double k, double x0) {
      return Math.min(1, step / x0);
    }
  },
  NONE {
    @Override
    double weight(long step, double k, double x0) {
      return 1;
    }
  };

  /** The weight at {@code step} (>= 0) with the logistic slope k and midpoint (or linear length) x0. */
  abstract double weight(long step, double k, double x0);
}
