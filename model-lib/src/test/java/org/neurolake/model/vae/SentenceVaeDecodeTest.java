package org.neurolake.model.vae;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;
import org.neurolake.model.lm.ParameterLayout;

/**
 * Greedy decoding on a model whose LSTM weights are 0 except a z-dependent initial state: the
 * first step's argmax follows z through the softmax weights, the later steps the softmax bias; a
 * decode stops at {@code <eos>} or the length limit, and a prefix forces the first tokens.
 */
class SentenceVaeDecodeTest {
  @Test
  void greedyDecodesFollowZThenTheBiasAndStopAtEos() {
    SentenceVaeSpec spec = SentenceVaeSpec.builder(6).sizes(2, 2, 2, 1).build();
    SentenceVaeModel model = spec.build();
    ParameterLayout l = model.layout();
    float[] p = new float[(int) l.size()];
    // c0 = (0, z) through latent_to_state [Z, 2H] (columns 0, 1 are c, 2, 3 are h): with zero weights the
    // first output is h = o tanh(f c0), o = 1/2, f = sigmoid(1).
    p[l.group("latent_to_state").offset() + 1] = 1f;
    // Output unit 1 votes for word 4 strongly; the bias prefers word 5, then <eos> (1).
    ParameterLayout.Group w = l.group("softmax_weights");
    p[w.offset() + 4 * 2 + 1] = 50f;
    ParameterLayout.Group b = l.group("softmax_bias");
    p[b.offset() + 5] = 2f;
    p[b.offset() + 1] = 1f;
    model.setParameters(p);
    // With z = 0 the state stays 0 (zero weights): the bias's favourite, word 5, at every step.
    int[][] fromZero = model.greedyDecode(new double[][] {{0}}, 4, 1, null);
    assertArrayEquals(new int[] {5, 5, 5, 5}, fromZero[0]);
    // A large z makes word 4 the first token.
    int[][] fromZ = model.greedyDecode(new double[][] {{3}}, 3, 1, null);
    org.junit.jupiter.api.Assertions.assertEquals(4, fromZ[0][0]);
    // <eos> as the bias's favourite ends the decode at once; a prefix is forced first.
    p[b.offset() + 1] = 3f;
    model.setParameters(p);
    int[][] eos = model.greedyDecode(new double[][] {{0}, {0}}, 5, 1, new int[][] {{}, {3, 2}});
    assertArrayEquals(new int[] {1}, eos[0]);
    assertArrayEquals(new int[] {3, 2, 1}, eos[1]);
  }
}
