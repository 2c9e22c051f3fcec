package org.neurolake.model.mlstm;

import java.util.Objects;

/**
 * One row of the {@code byte_sequences} table: the {@code seqIndex}-th consecutive chunk of a
 * document's bytes. A document's chunks in {@code seqIndex} order (0, 1, ...) concatenate to it.
 */
public record ByteChunk(String docId, int seqIndex, byte[] bytes) {
  public ByteChunk {
    Objects.requireNonNull(docId, "docId");
    Objects.requireNonNull(bytes, "bytes");
    if (seqIndex < 0) {
      throw new IllegalArgumentException("chunk " + seqIndex + " of document " + docId + ": seq_index must be >= 0");
    }
  }
}
