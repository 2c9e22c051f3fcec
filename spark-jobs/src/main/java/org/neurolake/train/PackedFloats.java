package org.neurolake.train;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A float vector that serializes as one block of bytes. Java serialization writes a float[] a few
 * floats at a time; a round moves (N+b) x 3 vectors of the model's size (parameters and Adam's two
 * moments) each way, and on a busy driver that per-element cost was most of the engine's overhead.
 */
public final class PackedFloats implements Serializable {
  @Serial
  private static final long serialVersionUID = 1L;

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
    ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(values);
    out.writeInt(values.length);
    out.write(b.array());
  }

  @Serial
  private void readObject(ObjectInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      throw new IOException("negative vector length " + n);
    }
    byte[] bytes = new byte[n * 4];
    in.readFully(bytes);
    values = new float[n];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
  }
}
