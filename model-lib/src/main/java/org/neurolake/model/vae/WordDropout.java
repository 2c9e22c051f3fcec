package org.neurolake.model.vae;

import java.util.SplittableRandom;

/**
 * Bowman et al.'s word dropout: each decoder input word after {@code <s>} is kept with probability
 * {@code keep}, else replaced by {@code <unk>}, so the decoder must lean on z. Keep 0 is the inputless
 * decoder (every word after {@code <s>} replaced); keep 1 leaves the inputs as they are.
 */
final class WordDropout {
  private WordDropout() {}

  /**
   * The inputs of a window with dropped words replaced by {@code unkId}: positions of step 0 (the
   * {@code <s>}) and padding are left alone. Draws one number per other position, in position order,
   * from {@code random}, so equal seeds drop equal words.
   */
  static int[] apply(SentenceWindow w, int[] inputs, double keep, int unkId, SplittableRandom random) {
    if (keep >= 1) {
      return inputs;
    }
    int[] out = inputs.clone();
    for (int t = 1; t < w.steps(); t++) {
      for (int b = 0; b < w.rows(); b++) {
        if (t < w.lengths()[b] && random.nextDouble() >= keep) {
          out[t * w.rows() + b] = unkId;
        }
      }
    }
    return out;
  }
}
