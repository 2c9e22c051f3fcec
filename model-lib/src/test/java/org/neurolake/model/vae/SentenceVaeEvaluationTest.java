package org.neurolake.model.vae;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.neurolake.model.lm.ParameterLayout;

/**
 * The evaluation's metrics against hand computations on a tiny model whose LSTM weights are all 0:
 * then every decoder output is 0, so p(word) = softmax(softmax_bias) at every position whatever z,
 * and the posterior is N(mu_bias, exp(logvar_bias)) for every sentence.
 */
class SentenceVaeEvaluationTest {
  private static final double[] BIAS = {0.5, -1.0, 0.2, 1.5, 0.0, -0.3};
  private static final List<int[]> SENTENCES = List.of(new int[] {3, 4, 1}, new int[] {5, 1}, new int[] {3, 3, 4, 5, 1});

  private static SentenceVaeModel model(SentenceVaeSpec.EncoderKind encoder, double[] muBias, double[] logvarBias) {
    SentenceVaeSpec spec = SentenceVaeSpec.builder(6).encoder(encoder).sizes(3, 2, 2, 2).build();
    SentenceVaeModel model = spec.build();
    ParameterLayout l = model.layout();
    float[] p = new float[(int) l.size()];
    set(p, l.group("softmax_bias"), BIAS);
    if (encoder != SentenceVaeSpec.EncoderKind.NONE) {
      set(p, l.group("mu_bias"), muBias);
      set(p, l.group("logvar_bias"), logvarBias);
    }
    model.setParameters(p);
    return model;
  }

  private static void set(float[] p, ParameterLayout.Group g, double[] values) {
    for (int i = 0; i < values.length; i++) {
      p[g.offset() + i] = (float) values[i];
    }
  }

  /** -log softmax(BIAS)[w] summed over every token of every sentence, and the token count. */
  private static double[] handNll() {
    double lse = 0;
    for (double b : BIAS) {
      lse += Math.exp(b);
    }
    lse = Math.log(lse);
    double sum = 0;
    int tokens = 0;
    for (int[] s : SENTENCES) {
      for (int w : s) {
        sum += lse - BIAS[w];
        tokens++;
      }
    }
    return new double[] {sum, tokens};
  }

  @Test
  void rnnlmMetricsAreTheExactLikelihood() {
    Map<String, Double> m = new SentenceVaeEvaluation(2, 5, 1)
        .evaluate(model(SentenceVaeSpec.EncoderKind.NONE, null, null), SENTENCES);
    double[] hand = handNll();
    assertEquals(hand[0] / 3, m.get("nll"), 1e-4);
    assertEquals(hand[0] / 3, m.get("recon"), 1e-4);
    assertEquals(0, m.get("kl"), 0);
    assertEquals(hand[0] / 3, m.get("nll_is"), 1e-4);
    assertEquals(Math.exp(hand[0] / hand[1]), m.get("ppl"), 1e-4);
    assertEquals(10, m.get("tokens"), 0);
    assertEquals(0, m.get("active_units"), 0);
  }

  @Test
  void vaeBoundKlAndImportanceSampledLikelihood() {
    double[] mu = {0.4, -1.0};
    double[] logvar = {-0.5, 0.3};
    Map<String, Double> m = new SentenceVaeEvaluation(2, 4, 1)
        .evaluate(model(SentenceVaeSpec.EncoderKind.LSTM, mu, logvar), SENTENCES);
    double[] hand = handNll();
    double kl = 0;
    for (int j = 0; j < 2; j++) {
      kl += 0.5 * (Math.exp(logvar[j]) + mu[j] * mu[j] - 1 - logvar[j]);
    }
    assertEquals(kl, m.get("kl"), 1e-5);
    assertEquals(hand[0] / 3, m.get("recon"), 1e-4);
    assertEquals(hand[0] / 3 + kl, m.get("nll"), 1e-4);
    assertEquals(Math.exp((hand[0] + 3 * kl) / hand[1]), m.get("ppl"), 1e-4);
    assertEquals(0, m.get("active_units"), 0, "every sentence has the same posterior");
    // With the prior as posterior every importance weight is p(x) itself.
    Map<String, Double> prior = new SentenceVaeEvaluation(2, 3, 1)
        .evaluate(model(SentenceVaeSpec.EncoderKind.LSTM, new double[2], new double[2]), SENTENCES);
    assertEquals(hand[0] / 3, prior.get("nll_is"), 1e-4);
    assertEquals(0, prior.get("kl"), 1e-6);
  }

  @Test
  void activeUnitsCountTheVaryingPosteriorMeans() {
    SentenceVaeSpec spec = SentenceVaeSpec.builder(6).sizes(3, 2, 2, 3).seed(4).build();
    SentenceVaeModel model = spec.build();
    float[] p = model.parameters();
    ParameterLayout.Group g = model.layout().group("mu");
    // Unit 0 reads the encoder's output strongly, unit 1 not at all, unit 2 faintly.
    for (int r = 0; r < g.rows(); r++) {
      p[g.offset() + r * 3] = 40f;
      p[g.offset() + r * 3 + 1] = 0f;
      p[g.offset() + r * 3 + 2] = 0.01f;
    }
    ParameterLayout.Group e = model.layout().group("embedding");
    for (int i = e.offset(); i < e.end(); i++) {
      p[i] = (float) Math.sin(i) * 3;
    }
    model.setParameters(p);
    double[][] mu = model.posteriorMeans(SentenceShard.batchOf(SENTENCES.toArray(new int[0][])));
    int expected = 0;
    for (int j = 0; j < 3; j++) {
      double mean = 0;
      for (double[] row : mu) {
        mean += row[j] / mu.length;
      }
      double var = 0;
      for (double[] row : mu) {
        var += (row[j] - mean) * (row[j] - mean) / mu.length;
      }
      expected += var > 0.01 ? 1 : 0;
    }
    assertEquals(1, expected, "the fixture makes exactly one unit active");
    assertEquals(expected, new SentenceVaeEvaluation(3, 0, 1).evaluate(model, SENTENCES).get("active_units"), 0);
  }
}
