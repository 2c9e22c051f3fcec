package org.neurolake.bench;

import java.util.SplittableRandom;
import org.neurolake.sentiment.LabeledFeatures;

/**
 * Generated probe features shaped like a language model's hidden state: dense, correlated, every
 * unit carrying some label signal. Each example draws {@code factors} standard normal latent
 * factors, the first shifted by ±{@code separation} by its label (so the best possible accuracy is
 * Φ(separation), 0.86 at the default 1.08, about a probe's on SST-2); its features are
 * tanh(A z + {@code unitNoise} ε), A a fixed random mixing (standard normal / √factors, the same for
 * every split: drawn from {@code mixingSeed}) and ε independent unit noise. Unlike one unit carrying
 * the label among pure noise, the label is spread thinly over all units, which the L1 probe must
 * combine (the hard case for OWL-QN's iterations).
 */
public record LatentFactorFeatures(int features, int factors, double separation, double unitNoise, long mixingSeed) {
  public static final int FACTORS = 16;
  public static final double SEPARATION = 1.08;
  public static final double UNIT_NOISE = 0.5;

  public LatentFactorFeatures {
    if (features < 1 || factors < 1 || !(separation >= 0) || !(unitNoise >= 0)) {
      throw new IllegalArgumentException("need features, factors >= 1 and separation, unit noise >= 0, got "
          + features + ", " + factors + ", " + separation + ", " + unitNoise);
    }
  }

  public LatentFactorFeatures(int features) {
    this(features, FACTORS, SEPARATION, UNIT_NOISE, 7);
  }

  /** {@code n} examples drawn with {@code seed}; labels alternate 0, 1, 0, ... */
  public LabeledFeatures generate(int n, long seed) {
    double[][] mixing = new double[features][factors];
    SplittableRandom m = new SplittableRandom(mixingSeed);
    for (double[] row : mixing) {
      for (int k = 0; k < factors; k++) {
        row[k] = m.nextGaussian() / Math.sqrt(factors);
      }
    }
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] x = new float[n][features];
    int[] y = new int[n];
    double[] z = new double[factors];
    for (int i = 0; i < n; i++) {
      y[i] = i % 2;
      for (int k = 0; k < factors; k++) {
        z[k] = rng.nextGaussian();
      }
      z[0] += y[i] == 1 ? separation : -separation;
      for (int j = 0; j < features; j++) {
        double a = unitNoise * rng.nextGaussian();
        for (int k = 0; k < factors; k++) {
          a += mixing[j][k] * z[k];
        }
        x[i][j] = (float) Math.tanh(a);
      }
    }
    return new LabeledFeatures(x, y);
  }
}
