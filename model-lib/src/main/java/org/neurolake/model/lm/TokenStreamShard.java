package org.neurolake.model.lm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.factory.Nd4j;
import org.neurolake.model.api.Batch;
import org.neurolake.model.api.ExampleShard;
import org.neurolake.model.api.StreamWindows;

/**
 * Token streams laid out as {@code lanes} parallel rows for truncated BPTT, the word-level
 * counterpart of {@link org.neurolake.model.mlstm.ByteStreamShard}: each stream goes, whole and in
 * order, to the lane with the fewest windows so far; a lane is cut into windows of
 * {@code windowLength} next-word predictions (inputs ids p, targets ids p + 1), a window never
 * spanning two streams (a stream's last window is padded, mask 0). Shorter lanes end in padded
 * windows, so all have W windows.
 *
 * <p><b>Positions.</b> Example e (0 <= e < W x lanes) is window e / lanes of lane e % lanes;
 * {@code batch(from, n)} with n = lanes and from a multiple of it gives row i the consecutive
 * windows of lane i, and {@code continues[i]} is true when that window continues its stream
 * (false for any other call, so no row carries state into another stream's text).
 *
 * <p>Features: the input ids [n, windowLength] as floats, or with a {@link CharTable} each input
 * word's characters [n, windowLength, length]; labels [n, windowLength]: the next ids;
 * labelsMask (also featuresMask): 1 where there is data. Streams of fewer than 2 ids are left out.
 */
public final class TokenStreamShard implements ExampleShard {
  private static final long serialVersionUID = 1L;

  private final int[] ids;
  private final int lanes;
  private final int windowLength;
  private final int streams;
  private final CharTable chars;
  private final StreamWindows windows;

  private TokenStreamShard(List<int[]> streamIds, int lanes, int windowLength, CharTable chars) {
    if (lanes < 1 || windowLength < 1) {
      throw new IllegalArgumentException("lanes and windowLength must be >= 1, got " + lanes + ", " + windowLength);
    }
    this.lanes = lanes;
    this.windowLength = windowLength;
    this.chars = chars;
    List<int[]> kept = streamIds.stream().filter(s -> s.length >= 2).toList();
    if (kept.isEmpty()) {
      throw new IllegalArgumentException("none of the " + streamIds.size() + " streams has 2 or more ids");
    }
    this.streams = kept.size();
    long total = kept.stream().mapToLong(s -> s.length).sum();
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a shard holds at most 2^31 ids, these streams have " + total);
    }
    ids = new int[(int) total];
    int at = 0;
    int[] lengths = new int[kept.size()];
    for (int k = 0; k < kept.size(); k++) {
      int[] s = kept.get(k);
      if (chars != null) {
        for (int id : s) {
          if (id < 0 || id >= chars.vocabSize()) {
            throw new IllegalArgumentException("word id " + id + " is not in the character table of "
                + chars.vocabSize() + " words");
          }
        }
      }
      System.arraycopy(s, 0, ids, at, s.length);
      lengths[k] = s.length;
      at += s.length;
    }
    windows = StreamWindows.layout(lengths, lanes, windowLength);
  }

  /** The streams in the order given; {@code chars} null for word-id features. */
  public static TokenStreamShard of(List<int[]> streams, int lanes, int windowLength, CharTable chars) {
    return new TokenStreamShard(streams, lanes, windowLength, chars);
  }

  /**
   * From rows of {@code token_streams} in any order: each stream's chunks concatenated in chunk
   * order, which must run 0, 1, ... without gaps or repeats; streams taken in stream-id order.
   */
  public static TokenStreamShard fromChunks(List<TokenChunk> chunks, int lanes, int windowLength, CharTable chars) {
    Map<Integer, List<TokenChunk>> byStream = new TreeMap<>();
    for (TokenChunk c : chunks) {
      byStream.computeIfAbsent(c.streamId(), k -> new ArrayList<>()).add(c);
    }
    List<int[]> streams = new ArrayList<>(byStream.size());
    for (Map.Entry<Integer, List<TokenChunk>> e : byStream.entrySet()) {
      List<TokenChunk> parts = e.getValue();
      parts.sort(Comparator.comparingInt(TokenChunk::chunk));
      int length = 0;
      for (int i = 0; i < parts.size(); i++) {
        if (parts.get(i).chunk() != i) {
          throw new IllegalArgumentException("stream " + e.getKey() + " has chunks "
              + parts.stream().map(TokenChunk::chunk).toList() + "; expected 0.." + (parts.size() - 1));
        }
        length += parts.get(i).ids().length;
      }
      int[] s = new int[length];
      int at = 0;
      for (TokenChunk c : parts) {
        System.arraycopy(c.ids(), 0, s, at, c.ids().length);
        at += c.ids().length;
      }
      streams.add(s);
    }
    return new TokenStreamShard(streams, lanes, windowLength, chars);
  }

  @Override
  public int size() {
    return windows.size();
  }

  public int lanes() {
    return lanes;
  }

  public int windowsPerLane() {
    return windows.windowsPerLane();
  }

  /** Streams kept (those of 2 or more ids). */
  public int streams() {
    return streams;
  }

  /** Predictions in the shard (ids that have a predecessor in their stream). */
  public long predictions() {
    return windows.predictions();
  }

  @Override
  public Batch batch(int from, int n) {
    StreamWindows.BatchRows rows = windows.batchRows(from, n);
    int len = chars == null ? 1 : chars.length();
    float[] x = new float[n * windowLength * len];
    float[] y = new float[n * windowLength];
    float[] mask = new float[n * windowLength];
    for (int i = 0; i < n; i++) {
      int e = rows.examples()[i];
      int start = windows.start(e);
      for (int t = 0; t < windowLength; t++) {
        int at = i * windowLength + t;
        boolean valid = t < windows.inputs(e);
        int input = valid ? ids[start + t] : 0;
        if (chars == null) {
          x[at] = input;
        } else {
          int[] c = chars.chars(input);
          for (int k = 0; k < len; k++) {
            x[at * len + k] = c[k];
          }
        }
        y[at] = valid ? ids[start + t + 1] : 0;
        mask[at] = valid ? 1f : 0f;
      }
    }
    long[] shape = {n, windowLength};
    var m = Nd4j.create(mask, shape, 'c');
    var features = chars == null ? Nd4j.create(x, shape, 'c') : Nd4j.create(x, new long[] {n, windowLength, len}, 'c');
    return new Batch(features, Nd4j.create(y, shape, 'c'), m, m, rows.continues());
  }

  @Override
  public String toString() {
    return "TokenStreamShard[" + streams + " streams, " + ids.length + " ids, " + lanes + " lanes x " + windows.windowsPerLane()
        + " windows of " + windowLength + (chars == null ? "" : ", characters") + "]";
  }
}
