package org.neurolake.model.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;

/** The {@link TrainableModel#parameterBuffer()} contract, checked by each family's own tests. */
public final class ParameterBufferAssertions {
  private ParameterBufferAssertions() {}

  /** {@code model}'s buffer holds {@code parameters()}, bit for bit, read-only, from position 0. */
  public static void assertBufferIsParameters(TrainableModel model) {
    FloatBuffer b = model.parameterBuffer();
    assertTrue(b.isReadOnly(), "the engine must not be able to write the model through it");
    assertEquals(0, b.position());
    assertEquals(model.parameterCount(), b.remaining());
    float[] read = new float[b.remaining()];
    b.get(read);
    assertArrayEquals(model.parameters(), read, "parameterBuffer() and parameters() agree");
  }
}
