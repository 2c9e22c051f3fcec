package org.neurolake.pipelines.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a document's bytes into consecutive, non-overlapping chunks of {@code length} bytes (the
 * last one shorter), in document order. Concatenating the chunks gives the document back, so a
 * language model carrying its state across a document's chunks sees every byte exactly once.
 */
public record ByteSequenceCutter(int length) implements java.io.Serializable {
  public static final int MAX_LENGTH = 1 << 20;

  public ByteSequenceCutter {
    if (length < 1 || length > MAX_LENGTH) {
      throw new IllegalArgumentException("sequence length must be in [1, " + MAX_LENGTH + "]: " + length);
    }
  }

  public List<byte[]> cut(byte[] bytes) {
    List<byte[]> out = new ArrayList<>((bytes.length + length - 1) / length);
    for (int start = 0; start < bytes.length; start += length) {
      out.add(Arrays.copyOfRange(bytes, start, Math.min(bytes.length, start + length)));
    }
    return out;
  }
}
