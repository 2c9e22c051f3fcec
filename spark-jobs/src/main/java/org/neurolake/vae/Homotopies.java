package org.neurolake.vae;

import java.util.ArrayList;
import java.util.List;
import org.neurolake.model.vae.SentenceShard;
import org.neurolake.model.vae.SentenceVaeModel;

/**
 * Bowman et al.'s homotopies: the posterior means mu_1, mu_2 of two sentences, {@code steps} points
 * z = (1 - alpha) mu_1 + alpha mu_2 at alpha = i / (steps - 1), i = 0 .. steps - 1 (both ends
 * included), each decoded greedily.
 */
public final class Homotopies {
  /** One point of the line: its index, alpha, and the greedy decode's ids. */
  public record Point(int step, double alpha, int[] ids) {}

  private final int steps;
  private final int maxLength;

  public Homotopies(int steps, int maxLength) {
    if (steps < 2 || maxLength < 1) {
      throw new IllegalArgumentException("need steps >= 2 and maxLength >= 1, got " + steps + ", " + maxLength);
    }
    this.steps = steps;
    this.maxLength = maxLength;
  }

  /** The points between sentences a and b (ids, {@code <eos>} last). */
  public List<Point> between(SentenceVaeModel model, int[] a, int[] b) {
    if (!model.vaeSpec().hasLatent()) {
      throw new IllegalArgumentException("the run is the RNNLM baseline (no latent): no homotopy");
    }
    double[][] mu = model.posteriorMeans(SentenceShard.batchOf(new int[][] {a, b}));
    int latent = mu[0].length;
    double[][] z = new double[steps][latent];
    for (int i = 0; i < steps; i++) {
      double alpha = i / (double) (steps - 1);
      for (int j = 0; j < latent; j++) {
        z[i][j] = (1 - alpha) * mu[0][j] + alpha * mu[1][j];
      }
    }
    int[][] decoded = model.greedyDecode(z, maxLength, SentenceTables.EOS, null);
    List<Point> out = new ArrayList<>(steps);
    for (int i = 0; i < steps; i++) {
      out.add(new Point(i, i / (double) (steps - 1), decoded[i]));
    }
    return out;
  }
}
