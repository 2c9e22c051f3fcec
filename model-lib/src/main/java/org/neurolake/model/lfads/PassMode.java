package org.neurolake.model.lfads;

/** How a forward pass treats its stochastic parts. */
enum PassMode {
  /** Dropout and posterior samples: a training step. */
  TRAIN(true, true),
  /** Posterior samples, no dropout: evaluation and posterior sample-and-average. */
  SAMPLE(false, true),
  /** Posterior means, no dropout. */
  MEAN(false, false);

  final boolean dropout;
  final boolean sample;

  PassMode(boolean dropout, boolean sample) {
    this.dropout = dropout;
    this.sample = sample;
  }
}
