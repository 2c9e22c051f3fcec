package org.neurolake.model.mlstm;

/**
 * Where each parameter group sits in the model's flat parameter vector (and, identically, in its
 * gradient and in each half of its Adam state). Matrices are row-major [rows, columns]; a
 * weight-normalized matrix W = g * V / ||V|| (per column) is stored as its direction V followed by
 * its gains g. The order is the contract of {@link MlstmModel#parameters()}:
 * <pre>
 *   embedding [256, E]
 *   wx [E, 4H], gx [4H]      input to gates i, f, o, u (blocks of H columns, in that order)
 *   wh [H, 4H], gh [4H]      multiplicative state m to gates
 *   wmx [E, H], gmx [H]      input factor of m
 *   wmh [H, H], gmh [H]      hidden factor of m
 *   b [4H]                   gate biases
 *   wout [H, 256], bout [256] output layer (not weight-normalized)
 * </pre>
 */
public record ParameterLayout(int hidden, int embedding, int embeddingOffset, int wxOffset, int gxOffset,
    int whOffset, int ghOffset, int wmxOffset, int gmxOffset, int wmhOffset, int gmhOffset, int biasOffset,
    int woutOffset, int boutOffset, int size) {

  public static ParameterLayout of(MlstmSpec spec) {
    long h = spec.hiddenSize();
    long e = spec.embeddingSize();
    long v = MlstmSpec.VOCABULARY;
    long[] sizes = {v * e, e * 4 * h, 4 * h, h * 4 * h, 4 * h, e * h, h, h * h, h, 4 * h, h * v, v};
    int[] offsets = new int[sizes.length + 1];
    long at = 0;
    for (int i = 0; i < sizes.length; i++) {
      offsets[i] = (int) at;
      at += sizes[i];
      if (at > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException("an mLSTM of hiddenSize " + h + " and embeddingSize " + e
            + " has more than 2^31 parameters; a flat float vector cannot hold them");
      }
    }
    offsets[sizes.length] = (int) at;
    return new ParameterLayout((int) h, (int) e, offsets[0], offsets[1], offsets[2], offsets[3], offsets[4],
        offsets[5], offsets[6], offsets[7], offsets[8], offsets[9], offsets[10], offsets[11], offsets[12]);
  }
}
