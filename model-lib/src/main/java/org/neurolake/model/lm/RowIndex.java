package org.neurolake.model.lm;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.transforms.segment.UnsortedSegmentSum;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The distinct ids among a list (ascending) and, per list entry, its distinct id's index: what
 * sums the gradient rows of repeated ids (a word seen twice, a negative drawn twice) into one row
 * each, through ND4J's segment sum.
 */
public record RowIndex(int[] distinct, int[] segment) {
  public static RowIndex of(int[] ids) {
    int[] sorted = ids.clone();
    Arrays.sort(sorted);
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (i == 0 || sorted[i] != sorted[i - 1]) {
        sorted[n++] = sorted[i];
      }
    }
    int[] distinct = Arrays.copyOf(sorted, n);
    int[] segment = new int[ids.length];
    for (int i = 0; i < ids.length; i++) {
      segment[i] = Arrays.binarySearch(distinct, ids[i]);
    }
    return new RowIndex(distinct, segment);
  }

  /** Rows of {@code values} (one per listed id) summed per distinct id: [distinct, cols]. */
  public INDArray sum(INDArray values) {
    if (values.size(0) != segment.length) {
      throw new IllegalArgumentException(values.size(0) + " gradient rows for " + segment.length + " ids");
    }
    INDArray seg = Nd4j.createFromArray(segment).castTo(DataType.INT);
    return Nd4j.exec(new UnsortedSegmentSum(values, seg, distinct.length))[0];
  }
}
