package org.neurolake.model.lfads;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;

/**
 * A zero-initialized off-heap float array: Java reads and writes it element-wise, OpenBLAS reads
 * and writes it in place (no copies across JNI). Off-heap because a Java {@code float[]} handed to
 * native code is copied whole on every call.
 */
final class Buf {
  private final FloatBuffer data;
  private final int size;
  /** One movable pointer per GEMM operand slot, so one buffer can be A, B and C of the same call. */
  private final FloatPointer[] cursors = new FloatPointer[3];

  Buf(int size) {
    if (size < 0) {
      throw new IllegalArgumentException("negative buffer size " + size);
    }
    this.size = size;
    this.data = ByteBuffer.allocateDirect(Math.max(1, size) * Float.BYTES).order(ByteOrder.nativeOrder())
        .asFloatBuffer();
    FloatPointer base = new FloatPointer(data);
    for (int i = 0; i < cursors.length; i++) {
      cursors[i] = new FloatPointer(base);
    }
  }

  int size() {
    return size;
  }

  /** {@code b} if it holds at least {@code size} values, else a new zeroed buffer of that size. */
  static Buf atLeast(Buf b, int size) {
    return b != null && b.size >= size ? b : new Buf(size);
  }

  float get(int i) {
    return data.get(i);
  }

  void set(int i, float v) {
    data.put(i, v);
  }

  void add(int i, float v) {
    data.put(i, data.get(i) + v);
  }

  void zero() {
    fill(0, size, 0f);
  }

  void fill(int from, int length, float v) {
    for (int i = from; i < from + length; i++) {
      data.put(i, v);
    }
  }

  void copyFrom(float[] src) {
    if (src.length != size) {
      throw new IllegalArgumentException("expected " + size + " values, got " + src.length);
    }
    data.put(0, src);
  }

  void copyTo(int from, float[] dst, int dstFrom, int length) {
    data.get(from, dst, dstFrom, length);
  }

  /** The buffer itself, for loops that address it by absolute index (its position is never used). */
  FloatBuffer floats() {
    return data;
  }

  float[] toArray() {
    float[] out = new float[size];
    data.get(0, out);
    return out;
  }

  /** The native address of element {@code offset}, through operand slot {@code slot} (0, 1 or 2). */
  FloatPointer at(int slot, long offset) {
    if (offset < 0 || offset > size) {
      throw new IndexOutOfBoundsException("offset " + offset + " outside a buffer of " + size);
    }
    return cursors[slot].position(offset);
  }
}
