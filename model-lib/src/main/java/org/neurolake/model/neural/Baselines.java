package org.neurolake.model.neural;

import java.util.List;

/** Checks and plumbing shared by the baselines. */
final class Baselines {
  private Baselines() {}

  static void requireMatching(SpikeCounts train, SpikeCounts valid, NeuronSplit split) {
    if (train.neurons() != split.nNeurons() || valid.neurons() != split.nNeurons()) {
      throw new IllegalArgumentException("training " + train + " and validation " + valid + " must hold all "
          + split.nNeurons() + " neurons of the split");
    }
    if (train.bins() != valid.bins() || Math.abs(train.binMs() - valid.binMs()) > 1e-9 * train.binMs()) {
      throw new IllegalArgumentException("training " + train + " and validation " + valid
          + " differ in bins or bin width");
    }
    if (train.trials() < 1 || valid.trials() < 1) {
      throw new IllegalArgumentException("need at least one training and one validation trial");
    }
  }

  /** The readouts' rates on the rows of {@code x}, shaped like {@code like}'s trials and bins. */
  static Rates predict(List<PoissonGlm.Fit> readouts, RowMatrix x, SpikeCounts like) {
    double[][] series = new double[readouts.size()][];
    for (int j = 0; j < series.length; j++) {
      series[j] = readouts.get(j).predict(x);
    }
    return Rates.fromSeries(like.trials(), like.bins(), like.binMs(), series);
  }
}
