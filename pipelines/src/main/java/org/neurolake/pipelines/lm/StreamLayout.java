package org.neurolake.pipelines.lm;

import java.io.Serializable;

/**
 * How a split's {@code total} tokens (positions 0 .. total-1 in sentence order) are cut into
 * {@code streams} contiguous streams of nearly equal length (stream s starts at
 * floor(s · total / streams)), each cut into chunks of {@code chunkLength} tokens from its start
 * (its last chunk may be shorter).
 */
public record StreamLayout(long total, int streams, int chunkLength) implements Serializable {
  public StreamLayout {
    if (streams < 1 || chunkLength < 1) {
      throw new IllegalArgumentException("streams and chunk length must be >= 1: " + streams + ", " + chunkLength);
    }
    if (total < streams) {
      throw new IllegalArgumentException(total + " tokens cannot fill " + streams + " streams");
    }
  }

  /** First position of stream {@code s} (s = streams gives total). */
  public long start(int s) {
    return Math.multiplyExact((long) s, total) / streams;
  }

  /** The stream holding position {@code p}. */
  public int streamOf(long p) {
    if (p < 0 || p >= total) {
      throw new IndexOutOfBoundsException("position " + p + " of " + total);
    }
    // Largest s with start(s) <= p is ceil((p + 1) · streams / total) - 1.
    int s = (int) ((Math.multiplyExact(p + 1, (long) streams) + total - 1) / total - 1);
    while (start(s) > p) {
      s--;
    }
    while (start(s + 1) <= p) {
      s++;
    }
    return s;
  }

  /** The chunk of its stream that position {@code p} falls in. */
  public int chunkOf(long p) {
    return Math.toIntExact((p - start(streamOf(p))) / chunkLength);
  }
}
