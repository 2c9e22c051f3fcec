package org.neurolake.pipelines.synthetic;

import java.io.Serializable;

/**
 * The LFADS paper's chaotic-RNN benchmark (Sussillo et al. 2016, {@code synth_data/
 * generate_chaotic_rnn_data.py}): a vanilla RNN {@code x_t = (1 - dt/tau) x_{t-1} + (dt/tau) g W
 * tanh(x_{t-1})} with W ~ N(0, 1/N), x0 ~ N(0, x0Std^2) per condition; rates are 30 Hz times the
 * per-trial, per-neuron min-max normalized tanh(x); spikes are Poisson. The input-pulse variant
 * adds {@code (dt/tau) B u} with u = inputMagnitude at one random step in [T/4, 3T/4).
 */
public record ChaoticRnnConfig(
    int nNeurons,
    double g,
    double tauMs,
    double dtMs,
    double durationMs,
    double x0Std,
    double maxRateHz,
    int conditions,
    int replications,
    double inputMagnitude,
    long seed) implements Serializable {

  public ChaoticRnnConfig {
    if (nNeurons < 1 || nNeurons > 10_000) {
      throw new IllegalArgumentException("nNeurons must be in [1, 10000]: " + nNeurons);
    }
    if (!(g > 0 && tauMs > 0 && dtMs > 0 && durationMs >= dtMs && x0Std >= 0 && maxRateHz > 0)) {
      throw new IllegalArgumentException("g, tau, dt, max rate must be positive and duration >= dt");
    }
    if (dtMs > tauMs) {
      throw new IllegalArgumentException("dt (" + dtMs + " ms) must not exceed tau (" + tauMs + " ms)");
    }
    if (conditions < 1 || replications < 1 || (long) conditions * replications > 10_000_000L) {
      throw new IllegalArgumentException("conditions and replications must be >= 1, product <= 1e7");
    }
    if (inputMagnitude < 0) {
      throw new IllegalArgumentException("input magnitude must be >= 0: " + inputMagnitude);
    }
  }

  public int nSteps() {
    return (int) Math.floor(durationMs / dtMs + 1e-9);
  }

  public int nTrials() {
    return conditions * replications;
  }

  public boolean hasInputPulse() {
    return inputMagnitude > 0;
  }

  /** The paper's two benchmark variants. */
  public enum Variant {
    /** g = 1.5, no inputs. */
    CHAOTIC(1.5, 0.0),
    /** g = 2.5, one input pulse of magnitude 20 per trial. */
    INPUT_PULSE(2.5, 20.0);

    public final double g;
    public final double inputMagnitude;

    Variant(double g, double inputMagnitude) {
      this.g = g;
      this.inputMagnitude = inputMagnitude;
    }
  }

  /** A seed whose network is chaotic for both variants (see {@link ChaoticRnnGenerator#chaosScore}). */
  public static final long DEFAULT_SEED = 9;

  /** The paper's settings: N=50, tau=25 ms, dt=10 ms, 1 s trials, x0 ~ N(0,1), 30 Hz. */
  public static ChaoticRnnConfig paper(Variant v, int conditions, int replications, long seed) {
    return new ChaoticRnnConfig(50, v.g, 25.0, 10.0, 1000.0, 1.0, 30.0, conditions, replications,
        v.inputMagnitude, seed);
  }
}
