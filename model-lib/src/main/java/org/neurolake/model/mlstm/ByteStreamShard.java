package org.neurolake.model.mlstm;

import java.io.ByteArrayOutputStream;
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
 * Documents laid out as {@code streams} parallel byte streams for truncated BPTT. Each document
 * goes, whole and in order, to the stream that is shortest so far; a stream is cut into windows of
 * {@code windowLength} next-byte predictions (inputs bytes p, targets bytes p + 1), a window never
 * spanning two documents: the last window of a document is padded (mask 0) and the next document
 * starts a new window. Shorter streams end in fully padded windows, so all have W windows.
 *
 * <p><b>Positions.</b> Example e (0 <= e < {@link #size()} = W x streams) is window e / streams
 * of stream e % streams. {@code batch(from, n)} returns examples from .. from + n - 1 (wrapping
 * around), so the engine's calls with n = streams and from advancing by n give row i the
 * consecutive windows of stream i. {@code continues[i]} is true when that window continues its
 * document and the call is aligned (n = streams and from a multiple of it); otherwise false, so a
 * row never carries state into another stream's text.
 *
 * <p><b>Rounds.</b> The engine's cursor for round r, local step k is (r K + k) x batchSize, so with
 * batchSize = streams the round starts where the previous one ended; but every round also resets
 * the model's carried state ({@link MlstmModel#setParameters}), so a round's first window starts
 * from zeros even when it continues a document, and the K windows within a round carry it.
 *
 * <p>Features [n, windowLength]: input byte values 0..255 as floats; labels [n, windowLength]: the
 * next bytes; labelsMask (also given as featuresMask): 1 where there is data. Documents of fewer
 * than 2 bytes hold no prediction and are left out.
 */
public final class ByteStreamShard implements ExampleShard {
  private final byte[] text;
  private final int streams;
  private final int windowLength;
  private final int documents;
  /** The documents' windows; positions are offsets in {@code text}. */
  private final StreamWindows windows;

  private ByteStreamShard(List<byte[]> docs, int streams, int windowLength) {
    if (streams < 1 || windowLength < 1) {
      throw new IllegalArgumentException("streams and windowLength must be >= 1, got " + streams + ", "
          + windowLength);
    }
    this.streams = streams;
    this.windowLength = windowLength;
    List<byte[]> kept = docs.stream().filter(d -> d.length >= 2).toList();
    if (kept.isEmpty()) {
      throw new IllegalArgumentException("none of the " + docs.size() + " documents has 2 or more bytes to predict");
    }
    this.documents = kept.size();
    long total = kept.stream().mapToLong(d -> d.length).sum();
    if (total > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException("a shard holds at most 2 GB of text, these documents have " + total + " bytes");
    }
    text = new byte[(int) total];
    int at = 0;
    int[] lengths = new int[kept.size()];
    for (int k = 0; k < kept.size(); k++) {
      byte[] d = kept.get(k);
      System.arraycopy(d, 0, text, at, d.length);
      lengths[k] = d.length;
      at += d.length;
    }
    windows = StreamWindows.layout(lengths, streams, windowLength);
  }

  /** The documents (byte contents) in the order given, laid out in {@code streams} streams. */
  public static ByteStreamShard of(List<byte[]> documents, int streams, int windowLength) {
    return new ByteStreamShard(documents, streams, windowLength);
  }

  /**
   * From rows of the {@code byte_sequences} table, in any order: each document's chunks are
   * concatenated in {@code seqIndex} order, which must run 0, 1, ... without gaps or repeats, and
   * the documents are taken in {@code docId} order (so the layout does not depend on row order).
   */
  public static ByteStreamShard fromChunks(List<ByteChunk> chunks, int streams, int windowLength) {
    Map<String, List<ByteChunk>> byDoc = new TreeMap<>();
    for (ByteChunk c : chunks) {
      byDoc.computeIfAbsent(c.docId(), k -> new ArrayList<>()).add(c);
    }
    List<byte[]> docs = new ArrayList<>(byDoc.size());
    for (Map.Entry<String, List<ByteChunk>> e : byDoc.entrySet()) {
      List<ByteChunk> parts = e.getValue();
      parts.sort(Comparator.comparingInt(ByteChunk::seqIndex));
      ByteArrayOutputStream doc = new ByteArrayOutputStream();
      for (int i = 0; i < parts.size(); i++) {
        if (parts.get(i).seqIndex() != i) {
          throw new IllegalArgumentException("document " + e.getKey() + " has chunks with seq_index "
              + parts.stream().map(ByteChunk::seqIndex).toList() + "; expected 0.." + (parts.size() - 1));
        }
        doc.writeBytes(parts.get(i).bytes());
      }
      docs.add(doc.toByteArray());
    }
    return new ByteStreamShard(docs, streams, windowLength);
  }

  /** Example slots: windows per stream x streams. */
  @Override
  public int size() {
    return windows.size();
  }

  public int streams() {
    return streams;
  }

  public int windowLength() {
    return windowLength;
  }

  public int windowsPerStream() {
    return windows.windowsPerLane();
  }

  /** Documents kept (those of 2 or more bytes). */
  public int documents() {
    return documents;
  }

  @Override
  public Batch batch(int from, int n) {
    StreamWindows.BatchRows rows = windows.batchRows(from, n);
    float[] x = new float[n * windowLength];
    float[] y = new float[n * windowLength];
    float[] mask = new float[n * windowLength];
    for (int i = 0; i < n; i++) {
      int e = rows.examples()[i];
      int start = windows.start(e);
      int row = i * windowLength;
      for (int t = 0; t < windows.inputs(e); t++) {
        x[row + t] = text[start + t] & 0xFF;
        y[row + t] = text[start + t + 1] & 0xFF;
        mask[row + t] = 1f;
      }
    }
    long[] shape = {n, windowLength};
    var m = Nd4j.create(mask, shape, 'c');
    return new Batch(Nd4j.create(x, shape, 'c'), Nd4j.create(y, shape, 'c'), m, m, rows.continues());
  }

  @Override
  public String toString() {
    return "ByteStreamShard[" + documents + " documents, " + text.length + " bytes, " + streams + " streams x "
        + windows.windowsPerLane() + " windows of " + windowLength + "]";
  }
}
