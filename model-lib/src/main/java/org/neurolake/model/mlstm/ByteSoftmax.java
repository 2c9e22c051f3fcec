package org.neurolake.model.mlstm;

import static org.neurolake.model.mlstm.Lanes.L;
import static org.neurolake.model.mlstm.Lanes.ORDER;
import static org.neurolake.model.mlstm.Lanes.S;
import static org.neurolake.model.mlstm.Lanes.get;
import static org.neurolake.model.mlstm.Lanes.put;

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
    if (V % L != 0) {
      throw new ExceptionInInitializerError("vector length " + L + " does not divide the vocabulary " + V);
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
      FloatVector max = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
      for (int j = 0; j < V; j += L) {
        FloatVector z = FloatVector.fromByteBuffer(S, logits, 4 * (row + j), ORDER)
            .add(FloatVector.fromByteBuffer(S, params, 4 * (biasAt + j), ORDER));
        z.intoByteBuffer(logits, 4 * (row + j), ORDER);
        max = max.max(z);
      }
      float mx = max.reduceLanes(VectorOperators.MAX);
      FloatVector sum = FloatVector.zero(S);
      for (int j = 0; j < V; j += L) {
        sum = sum.add(Lanes.exp(FloatVector.fromByteBuffer(S, logits, 4 * (row + j), ORDER).sub(mx)));
      }
      float logSum = mx + (float) StrictMath.log(Lanes.sumLanes(sum));
      loss += logSum - get(logits, row + targets[r]);
      if (writeGradient) {
        for (int j = 0; j < V; j += L) {
          FloatVector p = Lanes.exp(FloatVector.fromByteBuffer(S, logits, 4 * (row + j), ORDER).sub(logSum))
              .mul(gradScale);
          p.intoByteBuffer(logits, 4 * (row + j), ORDER);
          FloatVector.fromArray(S, dBias, j).add(p).intoArray(dBias, j);
        }
        put(logits, row + targets[r], get(logits, row + targets[r]) - gradScale);
        dBias[targets[r]] -= gradScale;
      }
    }
    return loss;
  }
}
