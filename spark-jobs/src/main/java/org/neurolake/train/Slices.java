package org.neurolake.train;

import java.io.Serializable;

/**
 * A vector of {@code length} values cut into {@code count} contiguous slices of near-equal size:
 * slice s is {@code [from(s), to(s))}.
 */
public record Slices(int length, int count) implements Serializable {
  public Slices {
    if (length < 0 || count < 1) {
      throw new IllegalArgumentException("slices need length >= 0 and count >= 1: " + length + ", " + count);
    }
  }

  public int from(int slice) {
    return (int) ((long) length * slice / count);
  }

  public int to(int slice) {
    return (int) ((long) length * (slice + 1) / count);
  }

  public int size(int slice) {
    return to(slice) - from(slice);
  }

  /** Slice {@code slice} of {@code v} (a copy). */
  public float[] cut(float[] v, int slice) {
    if (v.length != length) {
      throw new IllegalArgumentException("a vector of " + v.length + " values cut as one of " + length);
    }
    return java.util.Arrays.copyOfRange(v, from(slice), to(slice));
  }

  /** Writes slice {@code slice}'s values, the remaining ones of {@code values} (its position is kept), into {@code whole}. */
  public void place(java.nio.FloatBuffer values, int slice, float[] whole) {
    if (values.remaining() != size(slice) || whole.length != length) {
      throw new IllegalArgumentException("slice " + slice + " has " + size(slice) + " values, got "
          + values.remaining());
    }
    values.duplicate().get(whole, from(slice), size(slice));
  }
}
