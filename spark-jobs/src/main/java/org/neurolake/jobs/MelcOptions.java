package org.neurolake.jobs;

import org.neurolake.model.melc.MelcSpec;
import picocli.CommandLine.Option;

/** MELC's settings as options (train-melc, evaluate-melc). */
public final class MelcOptions {
  @Option(names = "--gamma", defaultValue = "" + MelcSpec.DEFAULT_GAMMA,
      description = "Bandwidth factor on Silverman's rule (default: ${DEFAULT-VALUE}).")
  double gamma;

  @Option(names = "--epsilon", defaultValue = "" + MelcSpec.DEFAULT_EPSILON,
      description = "Acceptable objective error of the approximations, |D - D_exact| <= eps (default: ${DEFAULT-VALUE}).")
  double epsilon;

  @Option(names = "--random-starts", defaultValue = "" + MelcSpec.DEFAULT_RANDOM_STARTS,
      description = "Random unit L-BFGS starts, besides the SVM start where there is one (default: ${DEFAULT-VALUE}).")
  int randomStarts;

  @Option(names = "--max-iterations", defaultValue = "" + MelcSpec.DEFAULT_MAX_ITERATIONS,
      description = "L-BFGS iterations per start (default: ${DEFAULT-VALUE}).")
  int maxIterations;

  @Option(names = "--priors", defaultValue = "EQUAL",
      description = "Class weights of the prediction rule: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  MelcSpec.Priors priors;

  /** The spec builder for {@code dims} features with these settings. */
  public MelcSpec.Builder spec(int dims, long seed) {
    return MelcSpec.builder(dims).gamma(gamma).epsilon(epsilon).randomStarts(randomStarts)
        .maxIterations(maxIterations).priors(priors).seed(seed);
  }
}
