package org.neurolake.model.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.neurolake.model.api.ModelSpecs;

class LstmLmSpecTest {
  @Test
  void roundTripsThroughModelSpecsAsKindLstmLm() {
    LstmLmSpec word = LstmLmSpec.builder(10_000).wordInput(256).layers(2).hiddenSize(512).projectionSize(128)
        .dropout(0.1, 0.25, 0.25).sampledSoftmax(1024).adam(1e-3).seed(9).build();
    LstmLmSpec chars = LstmLmSpec.builder(5).charCnnInput(new CharCnn(20, 8, List.of(2, 3), List.of(10, 20), 2), 32)
        .sampledSoftmax(3, List.of(5L, 4L, 3L, 2L, 0L)).build();
    for (LstmLmSpec spec : List.of(word, chars, LstmLmSpec.builder(7).build())) {
      String json = ModelSpecs.toJson(spec);
      assertTrue(json.contains("\"kind\" : \"lstm-lm\""), json);
      assertEquals(spec, ModelSpecs.fromJson(json));
      assertEquals(spec.parameterCount(), ModelSpecs.fromJson(json).parameterCount());
    }
    assertTrue(ModelSpecs.kinds().contains(LstmLmSpecType.KIND));
  }

  /** Specs travel to Spark executors by Java serialization. */
  @Test
  void javaSerializationKeepsTheSpec() throws Exception {
    LstmLmSpec spec = LstmLmSpec.builder(5).charCnnInput(CharCnn.defaults(), 16).sampledSoftmax(3,
        List.of(1L, 2L, 3L, 4L, 5L)).build();
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(spec);
    }
    try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(spec, in.readObject());
    }
  }

  @Test
  void parameterCountOfAWordModel() {
    // V=100, E=8, one layer H=6 with P=4: 100*8 + (8*24 + 4*24 + 24 + 6*4) + 100*4 + 100.
    LstmLmSpec spec = LstmLmSpec.builder(100).wordInput(8).layers(1).hiddenSize(6).projectionSize(4).build();
    assertEquals(800 + 192 + 96 + 24 + 24 + 400 + 100, spec.parameterCount());
  }

  @Test
  void badSettingsAreRejectedNamingTheValue() {
    var e = assertThrows(IllegalArgumentException.class, () -> LstmLmSpec.builder(10).dropout(0, 1.0, 0).build());
    assertTrue(e.getMessage().contains("layerDropout"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> LstmLmSpec.builder(3).sampledSoftmax(4, List.of(1L, 2L))
        .build());
    assertTrue(e.getMessage().contains("unigram"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new CharCnn(10, 4, List.of(11), List.of(5), 0));
    assertThrows(IllegalArgumentException.class, () -> LstmLmSpec.builder(10).sampledSoftmax(0).build());
  }
}
