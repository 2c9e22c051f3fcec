package org.neurolake.model.neural;

import java.util.SplittableRandom;

/**
 * Test data: Poisson spike counts driven by a few smooth latents through a log-linear map,
 * {@code rate = exp(C z(t) + d)} per bin, with the true rates kept for R^2.
 */
final class Simulated {
  final SpikeCounts counts;
  final Rates rates;
  final double[] loadings; // neurons x latents, row-major

  private Simulated(SpikeCounts counts, Rates rates, double[] loadings) {
    this.counts = counts;
    this.rates = rates;
    this.loadings = loadings;
  }

  /**
   * {@code latents} latents per trial, each a sum of two sinusoids with random frequency (periods
   * of 20..60 bins) and phase; loadings N(0, 0.5^2) scaled so log-rates vary by about one unit;
   * baseline rates 0.05..0.3 spikes per bin.
   */
  static Simulated latentDriven(int trials, int bins, int neurons, int latents, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    double[] c = new double[neurons * latents];
    for (int i = 0; i < c.length; i++) {
      c[i] = 0.6 * rng.nextGaussian();
    }
    double[] base = new double[neurons];
    for (int n = 0; n < neurons; n++) {
      base[n] = Math.log(0.05 + 0.25 * rng.nextDouble());
    }
    double[] rates = new double[trials * bins * neurons];
    double[] counts = new double[rates.length];
    double[] z = new double[latents];
    double[][] freq = new double[latents][2];
    double[][] phase = new double[latents][2];
    for (int tr = 0; tr < trials; tr++) {
      for (int a = 0; a < latents; a++) {
        for (int h = 0; h < 2; h++) {
          freq[a][h] = 2 * Math.PI / (20 + 40 * rng.nextDouble());
          phase[a][h] = 2 * Math.PI * rng.nextDouble();
        }
      }
      for (int t = 0; t < bins; t++) {
        for (int a = 0; a < latents; a++) {
          z[a] = Math.sin(freq[a][0] * t + phase[a][0]) + 0.5 * Math.sin(freq[a][1] * t + phase[a][1]);
        }
        for (int n = 0; n < neurons; n++) {
          double eta = base[n];
          for (int a = 0; a < latents; a++) {
            eta += c[n * latents + a] * z[a];
          }
          int i = (tr * bins + t) * neurons + n;
          rates[i] = Math.exp(eta);
          counts[i] = poisson(rng, rates[i]);
        }
      }
    }
    return new Simulated(new SpikeCounts(trials, bins, neurons, 10.0, counts),
        new Rates(trials, bins, neurons, 10.0, rates), c);
  }

  /** Knuth's method; fine for the small means used here. */
  static int poisson(SplittableRandom rng, double mean) {
    double limit = Math.exp(-mean);
    double p = rng.nextDouble();
    int k = 0;
    while (p > limit) {
      p *= rng.nextDouble();
      k++;
    }
    return k;
  }
}
