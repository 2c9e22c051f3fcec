package org.neurolake.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdamSettingsTest {

  @Test
  void defaultsAreTheNamedConstants() {
    AdamSettings s = AdamSettings.builder().build();
    assertEquals(new AdamSettings(AdamSettings.DEFAULT_BETA1, AdamSettings.DEFAULT_BETA2, AdamSettings.DEFAULT_EPSILON,
        AdamSettings.DEFAULT_CLIP_NORM, AdamSettings.DEFAULT_EPSILON_PLACEMENT), s);
    assertEquals(0.9, s.beta1());
    assertEquals(0.999, s.beta2());
    assertEquals(1e-8, s.epsilon());
    assertEquals(0.0, s.clipNorm());
    assertEquals(EpsilonPlacement.ALPHA_T, s.epsilonPlacement());
  }

  @Test
  void builderSetsEveryField() {
    AdamSettings s = AdamSettings.builder().withBeta1(0.5).withBeta2(0.6).withEpsilon(0.1).withClipNorm(200)
        .withEpsilonPlacement(EpsilonPlacement.AFTER_BIAS_CORRECTION).build();
    assertEquals(new AdamSettings(0.5, 0.6, 0.1, 200, EpsilonPlacement.AFTER_BIAS_CORRECTION), s);
  }

  @Test
  void badValuesAreRejectedAtOnceNamingThem() {
    AdamSettings.Builder b = AdamSettings.builder();
    assertMessage("beta1", assertThrows(IllegalArgumentException.class, () -> b.withBeta1(1.0)));
    assertMessage("beta1", assertThrows(IllegalArgumentException.class, () -> b.withBeta1(-0.1)));
    assertMessage("beta2", assertThrows(IllegalArgumentException.class, () -> b.withBeta2(Double.NaN)));
    assertMessage("epsilon", assertThrows(IllegalArgumentException.class, () -> b.withEpsilon(0)));
    assertMessage("epsilon", assertThrows(IllegalArgumentException.class, () -> b.withEpsilon(Double.POSITIVE_INFINITY)));
    assertMessage("clipping", assertThrows(IllegalArgumentException.class, () -> b.withClipNorm(-1)));
    assertMessage("clipping", assertThrows(IllegalArgumentException.class, () -> b.withClipNorm(Double.NaN)));
    assertThrows(NullPointerException.class, () -> b.withEpsilonPlacement(null));
    assertEquals(AdamSettings.builder().build(), b.build(), "rejected values leave the builder as it was");
    // The record validates the same way when built directly.
    assertThrows(IllegalArgumentException.class, () -> new AdamSettings(0.9, 1.0, 1e-8, 0, EpsilonPlacement.ALPHA_T));
    assertThrows(NullPointerException.class, () -> new AdamSettings(0.9, 0.999, 1e-8, 0, null));
    // beta 0 is allowed (no averaging), as is an infinite clipping norm (never clips).
    new AdamSettings(0, 0, 1e-8, Double.POSITIVE_INFINITY, EpsilonPlacement.ALPHA_T);
  }

  @Test
  void clippingRule() {
    AdamSettings none = AdamSettings.builder().build();
    assertFalse(none.clips(1e30));
    assertEquals(1.0, none.gradientScale(1e30));
    AdamSettings never = AdamSettings.builder().withClipNorm(Double.POSITIVE_INFINITY).build();
    assertFalse(never.clips(Double.MAX_VALUE));
    AdamSettings five = AdamSettings.builder().withClipNorm(5).build();
    assertFalse(five.clips(5.0), "a norm equal to the threshold is not scaled");
    assertEquals(1.0, five.gradientScale(4.0));
    assertTrue(five.clips(20.0));
    assertEquals(0.25, five.gradientScale(20.0));
  }

  private static void assertMessage(String word, IllegalArgumentException e) {
    assertTrue(e.getMessage().contains(word), e.getMessage());
  }
}
