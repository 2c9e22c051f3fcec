package org.neurolake.pipelines.text;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/** Turns a document's raw text into the bytes stored in {@code documents.text_bytes}. */
public interface TextTransform extends Serializable {
  byte[] apply(String text);

  String name();

  /** Stores the text unchanged, as UTF-8. */
  TextTransform IDENTITY = new TextTransform() {
    @Override
    public byte[] apply(String text) {
      return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String name() {
      return "none";
    }
  };
}
