package org.neurolake.model.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.Batch;
import org.neurolake.model.lm.ParameterLayout;

/**
 * Sampled decoding draws the first token from softmax(logits / temperature) (frequencies over many
 * rows), equal seeds give equal decodes; the per-token log-likelihoods sum to the exact log p(x) of
 * the RNNLM and depend on z for the VAE.
 */
class SentenceVaeSamplingTest {
  @Test
  void sampledDecodesFollowTheSoftmaxAtTheTemperature() {
    SentenceVaeSpec spec = SentenceVaeSpec.builder(6).sizes(2, 2, 2, 1).build();
    SentenceVaeModel model = spec.build();
    ParameterLayout l = model.layout();
    float[] p = new float[(int) l.size()];
    // Zero LSTM and softmax weights: the logits are the bias at every step. Word 5 has logit 2 ln 2.
    p[l.group("softmax_bias").offset() + 5] = (float) (2 * Math.log(2));
    model.setParameters(p);
    int rows = 4000;
    double[][] z = new double[rows][1];
    for (double t : new double[] {1.0, 2.0}) {
      int[][] out = model.decode(z, 1, 1, null, t, new SplittableRandom(7));
      int fives = 0;
      for (int[] o : out) {
        fives += o[0] == 5 ? 1 : 0;
      }
      // softmax: word 5 has weight 4^(1/t) against 5 others of weight 1.
      double expected = Math.pow(4, 1 / t) / (Math.pow(4, 1 / t) + 5);
      assertEquals(expected, fives / (double) rows, 0.03, "temperature " + t);
    }
    int[][] a = model.decode(new double[3][1], 6, 1, null, 1.0, new SplittableRandom(11));
    int[][] b = model.decode(new double[3][1], 6, 1, null, 1.0, new SplittableRandom(11));
    assertArrayEquals(a, b);
    int[][] greedy = model.decode(new double[][] {{0}}, 3, 1, null, 0, null);
    assertArrayEquals(new int[] {5, 5, 5}, greedy[0]);
  }

  @Test
  void tokenLogLikelihoodsSumToTheExactLikelihoodAndDependOnZ() {
    SentenceVaeSpec rnnlmSpec = SentenceVaeSpec.builder(9).sizes(4, 3, 4, 2)
        .encoder(SentenceVaeSpec.EncoderKind.NONE).seed(5).build();
    SentenceVaeModel rnnlm = rnnlmSpec.build();
    rnnlm.setParameters(toFloats(VaeTestData.randomParameters(rnnlm.parameterCount(), 4)));
    Batch batch = VaeTestData.batch(9, new int[] {4, 2, 5}, 3);
    double[][] tokens = rnnlm.tokenLogLikelihoods(batch, new double[3][0]);
    double[] exact = rnnlm.importanceSampledLogLikelihood(batch, 1, 1);
    for (int b = 0; b < 3; b++) {
      assertEquals(new int[] {4, 2, 5}[b], tokens[b].length);
      assertEquals(exact[b], java.util.Arrays.stream(tokens[b]).sum(), 1e-4);
    }
    SentenceVaeModel vae = SentenceVaeSpec.builder(9).sizes(4, 3, 4, 2).seed(5).build().build();
    vae.setParameters(toFloats(VaeTestData.randomParameters(vae.parameterCount(), 2)));
    double[][] at0 = vae.tokenLogLikelihoods(batch, new double[3][2]);
    double[][] at1 = vae.tokenLogLikelihoods(batch, new double[][] {{1, -1}, {1, -1}, {1, -1}});
    assertNotEquals(at0[0][0], at1[0][0]);
  }

  private static float[] toFloats(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }
}
