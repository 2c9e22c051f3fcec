package org.neurolake.model.mlstm;

import static org.neurolake.model.mlstm.Lanes.ld;
import static org.neurolake.model.mlstm.Lanes.st;

import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * The softmax over the 256 next-byte logits and its cross-entropy, row by row, fused with the
 * output bias and (optionally) the gradient: dlogits = (softmax - onehot(target)) * gradScale,
 * written over the logits, the bias gradient accumulated on the way. Masked rows add nothing.
 */
final class ByteSoftmax {
  private static final int V = MlstmSpec.VOCABULARY;

  static {
    if (V % Lanes.L != 0) {
      throw new ExceptionInInitializerError("vector length " + Lanes.L + " does not divide the vocabulary " + V);
    }
  }

  private ByteSoftmax() {}

  /**
   * @return the sum over unmasked rows of -ln p(target)
   */
  static double crossEntropy(int rows, ByteBuffer logits, ByteBuffer params, int biasAt, int[] targets,
      boolean[] mask, boolean writeGradient, float gradScale, float[] dBias) {
    double loss = 0;
    for (int r = 0; r < rows; r++) {
      int row = r * V;
      if (!mask[r]) {
        if (writeGradient) {
          GateKernels.zero(V, logits, row);
        }
        continue;
      }
      FloatVector max = FloatVector.broadcast(Lanes.S, Float.NEGATIVE_INFINITY);
      for (int j = 0; j < V; j += Lanes.L) {
        FloatVector z = ld(logits, row + j, null).add(ld(params, biasAt + j, null));
        st(z, logits, row + j, null);
        max = max.max(z);
      }
      float mx = max.reduceLanes(VectorOperators.MAX);
      FloatVector sum = FloatVector.zero(Lanes.S);
      for (int j = 0; j < V; j += Lanes.L) {
        sum = sum.add(ld(logits, row + j, null).sub(mx).lanewise(VectorOperators.EXP));
      }
      float logSum = mx + (float) Math.log(sum.reduceLanes(VectorOperators.ADD));
      loss += logSum - logits.getFloat((row + targets[r]) * 4);
      if (writeGradient) {
        for (int j = 0; j < V; j += Lanes.L) {
          FloatVector p = ld(logits, row + j, null).sub(logSum).lanewise(VectorOperators.EXP).mul(gradScale);
          st(p, logits, row + j, null);
          st(ld(dBias, j, null).add(p), dBias, j, null);
        }
        int at = (row + targets[r]) * 4;
        logits.putFloat(at, logits.getFloat(at) - gradScale);
        dBias[targets[r]] -= gradScale;
      }
    }
    return loss;
  }
}
