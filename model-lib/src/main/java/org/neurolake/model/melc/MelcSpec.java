package org.neurolake.model.melc;

import org.neurolake.model.api.ModelSpec;
import org.neurolake.model.api.TrainableModel;

/**
 * A Multithreshold Entropy Linear Classifier (Czarnecki and Tabor; Jozefowicz and Czarnecki 2015):
 * the direction maximizing the Cauchy-Schwarz divergence of the projected classes
 * ({@link CsDivergence}), found by Breeze's L-BFGS on the sphere ({@link SphereObjective}) from
 * {@code randomStarts} random unit vectors plus, when the caller gives one, a linear SVM's
 * direction; predictions compare the classes' 1-D densities ({@link MelcClassifier}). Multi-class
 * sets are handled one-vs-rest ({@link OneVsRestMelc}).
 *
 * <p>MELC does not train with the SGD engine ({@link #build()} refuses): its optimizer is
 * L-BFGS on one machine, each objective evaluation over local rows or one Spark aggregation.
 *
 * @param dims feature width
 * @param gamma the bandwidth factor γ on Silverman's rule
 * @param lambda weight of the sphere penalty {@code λ(‖w‖² - 1)²}
 * @param randomStarts random unit starts (the SVM start comes on top)
 * @param maxIterations L-BFGS iterations per start
 * @param tolerance Breeze's L-BFGS convergence tolerance
 * @param approximation how the objective is evaluated
 * @param epsilon the acceptable error of an approximation, |D - D_exact| ≤ ε
 * @param priors the class weights of the prediction rule
 * @param seed of the random starts
 */
public record MelcSpec(int dims, double gamma, double lambda, int randomStarts, int maxIterations, double tolerance,
    Approximation approximation, double epsilon, Priors priors, long seed) implements ModelSpec {
  public static final double DEFAULT_GAMMA = 1.0;
  public static final double DEFAULT_LAMBDA = 1.0;
  public static final int DEFAULT_RANDOM_STARTS = 4;
  public static final int DEFAULT_MAX_ITERATIONS = 100;
  public static final double DEFAULT_TOLERANCE = 1e-6;
  public static final double DEFAULT_EPSILON = 0.05;

  /** Class weights of the prediction rule: the training frequencies, or equal (for balanced accuracy). */
  public enum Priors { EMPIRICAL, EQUAL }

  public MelcSpec {
    if (dims < 1 || !(gamma > 0) || !(lambda >= 0) || randomStarts < 0 || maxIterations < 1 || !(tolerance > 0)
        || !(epsilon > 0 && epsilon <= 1) || approximation == null || priors == null) {
      throw new IllegalArgumentException("bad MELC spec: dims=" + dims + " gamma=" + gamma + " lambda=" + lambda
          + " randomStarts=" + randomStarts + " maxIterations=" + maxIterations + " tolerance=" + tolerance
          + " approximation=" + approximation + " epsilon=" + epsilon + " priors=" + priors);
    }
  }

  public static Builder builder(int dims) {
    return new Builder(dims);
  }

  public Builder toBuilder() {
    return new Builder(dims).gamma(gamma).lambda(lambda).randomStarts(randomStarts).maxIterations(maxIterations)
        .tolerance(tolerance).approximation(approximation).epsilon(epsilon).priors(priors).seed(seed);
  }

  /** The objective over local rows, as this spec evaluates it. */
  public CsDivergence objective(LabeledPoints data) {
    return approximation.over(data, gamma, epsilon);
  }

  @Override
  public TrainableModel build() {
    throw new UnsupportedOperationException("MELC trains with L-BFGS on the driver (MelcTrainer, bin/pipeline "
        + "train-melc), not with the SGD engine");
  }

  /** The direction and the bias-free rule's parameters: the direction's {@code dims} weights. */
  @Override
  public long parameterCount() {
    return dims;
  }

  /** Defaults as named constants; {@link #build()} validates. */
  public static final class Builder {
    private final int dims;
    private double gamma = DEFAULT_GAMMA;
    private double lambda = DEFAULT_LAMBDA;
    private int randomStarts = DEFAULT_RANDOM_STARTS;
    private int maxIterations = DEFAULT_MAX_ITERATIONS;
    private double tolerance = DEFAULT_TOLERANCE;
    private Approximation approximation = Approximation.EXACT;
    private double epsilon = DEFAULT_EPSILON;
    private Priors priors = Priors.EQUAL;
    private long seed = 1;

    private Builder(int dims) {
      this.dims = dims;
    }

    /** The same settings for another feature width. */
    public Builder dims(int v) {
      return new Builder(v).gamma(gamma).lambda(lambda).randomStarts(randomStarts).maxIterations(maxIterations)
          .tolerance(tolerance).approximation(approximation).epsilon(epsilon).priors(priors).seed(seed);
    }

    public Builder gamma(double v) { gamma = v; return this; }
    public Builder lambda(double v) { lambda = v; return this; }
    public Builder randomStarts(int v) { randomStarts = v; return this; }
    public Builder maxIterations(int v) { maxIterations = v; return this; }
    public Builder tolerance(double v) { tolerance = v; return this; }
    public Builder approximation(Approximation v) { approximation = v; return this; }
    public Builder epsilon(double v) { epsilon = v; return this; }
    public Builder priors(Priors v) { priors = v; return this; }
    public Builder seed(long v) { seed = v; return this; }

    public MelcSpec build() {
      return new MelcSpec(dims, gamma, lambda, randomStarts, maxIterations, tolerance, approximation, epsilon,
          priors, seed);
    }
  }
}
