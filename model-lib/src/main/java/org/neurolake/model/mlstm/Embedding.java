package org.neurolake.model.mlstm;

import static org.neurolake.model.mlstm.Lanes.L;
import static org.neurolake.model.mlstm.Lanes.ORDER;
import static org.neurolake.model.mlstm.Lanes.S;
import static org.neurolake.model.mlstm.Lanes.bound;
import static org.neurolake.model.mlstm.Lanes.get;

import java.nio.ByteBuffer;
import jdk.incubator.vector.FloatVector;

/** The byte embedding: a row lookup forward, a scatter-add of row gradients backward. */
final class Embedding {
  private Embedding() {}

  /** x[r] = table[bytes[r]] for r in [0, rows); the table is [256, width] at {@code tableAt} of {@code params}. */
  static void gather(int rows, int width, ByteBuffer params, int tableAt, int[] bytes, ByteBuffer x) {
    for (int r = 0; r < rows; r++) {
      GateKernels.copy(width, params, tableAt + bytes[r] * width, x, r * width);
    }
  }

  /** dTable[bytes[r]] += dx[r] for r in [0, rows) with {@code mask[r]}. */
  static void scatterAdd(int rows, int width, ByteBuffer dx, int[] bytes, boolean[] mask, float[] dTable) {
    int end = bound(width);
    for (int r = 0; r < rows; r++) {
      if (!mask[r]) {
        continue;
      }
      int to = bytes[r] * width;
      int from = r * width;
      int j = 0;
      for (; j < end; j += L) {
        FloatVector.fromArray(S, dTable, to + j).add(FloatVector.fromByteBuffer(S, dx, 4 * (from + j), ORDER))
            .intoArray(dTable, to + j);
      }
      for (; j < width; j++) {
        dTable[to + j] += get(dx, from + j);
      }
    }
  }
}
