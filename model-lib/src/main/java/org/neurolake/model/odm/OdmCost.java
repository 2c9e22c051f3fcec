package org.neurolake.model.odm;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How {@link OdmModel} estimates the divergence between F's predictions and the label source
 * ({@code model.cost}).
 */
public enum OdmCost {
  /**
   * A discriminator D tells windows of F's predictions from windows of real labels; F's cost is
   * the non-saturating generator cost against D (the paper's estimator).
   */
  @JsonProperty("adversarial")
  ADVERSARIAL,
  /**
   * No discriminator: F's cost is KL(real ‖ predicted) of the unigram plus that of the bigram
   * statistics, the predicted ones being the expected counts of F's soft predictions over the
   * batch's windows (pairs of consecutive positions within a window), the real ones counted on
   * the batch's label windows: a non-adversarial (moment-matching) estimate of the divergence,
   * blind to statistics beyond bigrams. D's parameters are kept but never change.
   */
  @JsonProperty("ngram")
  NGRAM
}
