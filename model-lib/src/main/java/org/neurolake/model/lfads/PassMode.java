package org.neurolake.model.lfads;

/** How a forward pass treats its stochastic parts. */
enum PassMode {
  /** Dropout, coordinated dropout (when the spec has it) and posterior samples: a training step. */
  TRAIN(true, true),
  /** Posterior samples, no dropout of either kind, all entries in the cost: evaluation and posterior sample-and-average. */
  SAMPLE(false, true),
  /** Posterior means, no dropout of either kind, all entries in the cost. */
  MEAN(false, false);

  /** Dropout, and coordinated dropout of the input with its reconstruction cost on the dropped entries. */
  final boolean dropout;
  final boolean sample;

  PassMode(boolean dropout, boolean sample) {
    this.dropout = dropout;
    this.sample = sample;
  }
}
