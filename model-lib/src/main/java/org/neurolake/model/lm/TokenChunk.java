package org.neurolake.model.lm;

import java.util.Objects;

/**
 * One row of the {@code token_streams} table: chunk {@code chunk} (0, 1, ...) of stream
 * {@code streamId}'s word ids; a stream's chunks in order concatenate to it.
 */
public record TokenChunk(int streamId, int chunk, int[] ids) {
  public TokenChunk {
    Objects.requireNonNull(ids, "ids");
    if (chunk < 0) {
      throw new IllegalArgumentException("stream " + streamId + ": chunk must be >= 0, got " + chunk);
    }
  }
}
