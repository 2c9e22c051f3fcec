package org.neurolake.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PackedFloatsTest {
  private static final int PER_CHUNK = PackedFloats.CHUNK_BYTES / 4;

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 7, PER_CHUNK - 1, PER_CHUNK, PER_CHUNK + 1, 3 * PER_CHUNK + 5})
  void roundTripsEveryBitPattern(int n) throws Exception {
    SplittableRandom rng = new SplittableRandom(n);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = Float.intBitsToFloat(rng.nextInt()); // NaNs, infinities and denormals included
    }
    float[] back = roundTrip(new PackedFloats(v)).values();
    int[] expected = new int[n];
    int[] actual = new int[back.length];
    for (int i = 0; i < n; i++) {
      expected[i] = Float.floatToRawIntBits(v[i]);
    }
    for (int i = 0; i < back.length; i++) {
      actual[i] = Float.floatToRawIntBits(back[i]);
    }
    assertArrayEquals(expected, actual);
  }

  @ParameterizedTest
  @ValueSource(ints = {10, PER_CHUNK + 10})
  void aTruncatedStreamIsAnError(int n) throws Exception {
    byte[] bytes = serialize(new PackedFloats(new float[n]));
    byte[] cut = java.util.Arrays.copyOf(bytes, bytes.length - 8);
    assertThrows(IOException.class, () -> deserialize(cut));
  }

  private static PackedFloats roundTrip(PackedFloats p) throws Exception {
    return deserialize(serialize(p));
  }

  private static byte[] serialize(PackedFloats p) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(p);
    }
    return bytes.toByteArray();
  }

  private static PackedFloats deserialize(byte[] b) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b))) {
      return (PackedFloats) in.readObject();
    }
  }
}
