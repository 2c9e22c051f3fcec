package org.neurolake.model.optim;

import java.util.Objects;

/**
 * The fixed settings of an {@link Adam} optimizer (the learning rate is not one of them: it is given
 * to every {@link Adam#step} so that a schedule can change it). Immutable; build with {@link
 * #builder()}, whose defaults are the {@code DEFAULT_*} constants.
 *
 * @param beta1 the first moments' decay, in [0, 1)
 * @param beta2 the second moments' decay, in [0, 1)
 * @param epsilon the denominator's term, finite and > 0; where it is added is {@code epsilonPlacement}
 * @param clipNorm the gradient is scaled by {@code clipNorm / norm} when its global L2 norm exceeds
 *     {@code clipNorm}; 0 (or +infinity) never clips
 * @param epsilonPlacement which of Adam's two published forms the update takes
 */
public record AdamSettings(double beta1, double beta2, double epsilon, double clipNorm,
    EpsilonPlacement epsilonPlacement) {

  public static final double DEFAULT_BETA1 = 0.9;
  public static final double DEFAULT_BETA2 = 0.999;
  public static final double DEFAULT_EPSILON = 1e-8;
  /** No clipping. */
  public static final double DEFAULT_CLIP_NORM = 0.0;
  public static final EpsilonPlacement DEFAULT_EPSILON_PLACEMENT = EpsilonPlacement.ALPHA_T;

  public AdamSettings {
    checkDecay("beta1", beta1);
    checkDecay("beta2", beta2);
    checkEpsilon(epsilon);
    checkClipNorm(clipNorm);
    Objects.requireNonNull(epsilonPlacement, "epsilonPlacement");
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether a gradient of global L2 norm {@code norm} is scaled down. */
  public boolean clips(double norm) {
    return clipNorm > 0 && norm > clipNorm;
  }

  /** The factor a gradient of global L2 norm {@code norm} is multiplied by: clipNorm / norm when clipped, else 1. */
  public double gradientScale(double norm) {
    return clips(norm) ? clipNorm / norm : 1.0;
  }

  private static void checkDecay(String name, double beta) {
    if (!(beta >= 0 && beta < 1)) {
      throw new IllegalArgumentException("Adam's " + name + " must be in [0, 1), got " + beta);
    }
  }

  private static void checkEpsilon(double epsilon) {
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("Adam's epsilon must be finite and > 0, got " + epsilon);
    }
  }

  private static void checkClipNorm(double clipNorm) {
    if (!(clipNorm >= 0)) {
      throw new IllegalArgumentException("the clipping norm must be >= 0 (0 = no clipping), got " + clipNorm);
    }
  }

  /** Builds {@link AdamSettings}; each setter rejects a bad value at once, naming it. */
  public static final class Builder {
    private double beta1 = DEFAULT_BETA1;
    private double beta2 = DEFAULT_BETA2;
    private double epsilon = DEFAULT_EPSILON;
    private double clipNorm = DEFAULT_CLIP_NORM;
    private EpsilonPlacement epsilonPlacement = DEFAULT_EPSILON_PLACEMENT;

    private Builder() {}

    public Builder withBeta1(double beta1) {
      checkDecay("beta1", beta1);
      this.beta1 = beta1;
      return this;
    }

    public Builder withBeta2(double beta2) {
      checkDecay("beta2", beta2);
      this.beta2 = beta2;
      return this;
    }

    public Builder withEpsilon(double epsilon) {
      checkEpsilon(epsilon);
      this.epsilon = epsilon;
      return this;
    }

    /** The global-norm clipping threshold; 0 (the default) or +infinity never clips. */
    public Builder withClipNorm(double clipNorm) {
      checkClipNorm(clipNorm);
      this.clipNorm = clipNorm;
      return this;
    }

    public Builder withEpsilonPlacement(EpsilonPlacement epsilonPlacement) {
      this.epsilonPlacement = Objects.requireNonNull(epsilonPlacement, "epsilonPlacement");
      return this;
    }

    public AdamSettings build() {
      return new AdamSettings(beta1, beta2, epsilon, clipNorm, epsilonPlacement);
    }
  }
}
