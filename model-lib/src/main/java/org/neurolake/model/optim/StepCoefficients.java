package org.neurolake.model.optim;

/**
 * The single-precision constants of one Adam update, shared by both kernels: with g the gradient,
 * <pre>
 *   g' = gradScale g
 *   m  = beta1 m + (1 - beta1) g'
 *   v  = beta2 v + (1 - beta2) g'^2
 *   p  = p - stepSize m / (denominatorScale sqrt(v) + epsilon)
 * </pre>
 * {@link EpsilonPlacement#ALPHA_T}: stepSize = lr sqrt(1 - beta2^t) / (1 - beta1^t), denominatorScale
 * = 1 (an exact multiplication, so the form is computed exactly as without it).
 * {@link EpsilonPlacement#AFTER_BIAS_CORRECTION}: stepSize = lr / (1 - beta1^t), denominatorScale =
 * 1 / sqrt(1 - beta2^t). The powers are {@link StrictMath#pow}, the same on every JVM and platform;
 * each constant is computed in double and rounded once to float.
 */
record StepCoefficients(float gradScale, float beta1, float beta2, float stepSize, float denominatorScale,
    float epsilon) {

  static StepCoefficients of(AdamSettings s, double learningRate, long stepNumber, double gradScale) {
    double correction1 = 1 - StrictMath.pow(s.beta1(), stepNumber);
    double correction2 = 1 - StrictMath.pow(s.beta2(), stepNumber);
    double stepSize;
    double denominatorScale;
    switch (s.epsilonPlacement()) {
      case ALPHA_T -> {
        stepSize = learningRate * Math.sqrt(correction2) / correction1;
        denominatorScale = 1.0;
      }
      case AFTER_BIAS_CORRECTION -> {
        stepSize = learningRate / correction1;
        denominatorScale = 1 / Math.sqrt(correction2);
      }
      default -> throw new IllegalStateException("unknown epsilon placement " + s.epsilonPlacement());
    }
    return new StepCoefficients((float) gradScale, (float) s.beta1(), (float) s.beta2(), (float) stepSize,
        (float) denominatorScale, (float) s.epsilon());
  }
}
