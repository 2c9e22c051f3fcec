package org.neurolake.train;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * A float vector that serializes as blocks of bytes. Java serialization writes a float[] a few
 * floats at a time; a round moves (N+b) x 3 vectors of the model's size (parameters and Adam's two
 * moments) each way, and on a busy driver that per-element cost was most of the engine's overhead.
 *
 * <p>The bytes go through one small buffer, {@link #CHUNK_BYTES} at a time, rather than one buffer
 * of the whole vector: a whole-vector buffer is one more copy of a few MB per result on each side
 * and, at the sizes of a model, a humongous allocation for G1.
 */
public final class PackedFloats implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

  static final int CHUNK_BYTES = 64 * 1024;

  private transient float[] values;

  public PackedFloats(float[] values) {
    this.values = values;
  }

  public float[] values() {
    return values;
  }

  public int length() {
    return values.length;
  }

  @Serial
  private void writeObject(ObjectOutputStream out) throws IOException {
    out.writeInt(values.length);
    byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, 4L * values.length)];
    FloatBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    int perChunk = chunk.length / 4;
    for (int from = 0; from < values.length; from += perChunk) {
      int n = Math.min(perChunk, values.length - from);
      view.clear();
      view.put(values, from, n);
      out.write(chunk, 0, n * 4);
    }
  }

  @Serial
  private void readObject(ObjectInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative vector length " + n);
    }
    values = new float[n];
    byte[] chunk = new byte[(int) Math.min(CHUNK_BYTES, 4L * n)];
    FloatBuffer view = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    int perChunk = chunk.length / 4;
    for (int from = 0; from < n; from += perChunk) {
      int k = Math.min(perChunk, n - from);
      in.readFully(chunk, 0, k * 4);
      view.clear();
      view.get(values, from, k);
    }
  }
}
