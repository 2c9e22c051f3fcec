package org.neurolake.model.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link ConcatenatedState}: two optimizers' states as one, split back where the first ends. */
class ConcatenatedStateTest {

  @Test
  void splitsAtTheFirstStatesEndAndJoinsInOrder() {
    Adam first = new Adam(AdamSettings.builder().build(), 2);
    Adagrad second = new Adagrad(0.1, 3);
    ConcatenatedState both = new ConcatenatedState(first, second);
    assertEquals(4 + 3, both.stateSize());
    float[] state = {1, 2, 3, 4, 5, 6, 7};
    both.setState(state);
    assertArrayEquals(new float[] {1, 2, 3, 4}, first.state());
    assertArrayEquals(new float[] {5, 6, 7}, second.state());
    assertArrayEquals(state, both.state());
    assertThrows(IllegalArgumentException.class, () -> both.setState(new float[6]));
  }
}
