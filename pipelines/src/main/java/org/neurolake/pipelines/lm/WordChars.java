package org.neurolake.pipelines.lm;

import java.nio.charset.StandardCharsets;

/**
 * A word as the character-CNN reads it (Jozefowicz et al. 2016, after Kim et al. 2016): its UTF-8
 * bytes (0-255) between a begin-of-word and an end-of-word marker, padded to a fixed length;
 * a word whose bytes do not fit is cut (the end marker is always kept).
 */
public final class WordChars {
  private WordChars() {}

  public static final int BEGIN_OF_WORD = 256;
  public static final int END_OF_WORD = 257;
  public static final int PAD = 258;
  /** Values per word, markers included: the paper's maximum word length. */
  public static final int LENGTH = 50;

  public static int[] encode(String word) {
    byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(bytes.length, LENGTH - 2);
    int[] chars = new int[LENGTH];
    chars[0] = BEGIN_OF_WORD;
    for (int i = 0; i < n; i++) {
      chars[1 + i] = bytes[i] & 0xFF;
    }
    chars[1 + n] = END_OF_WORD;
    for (int i = 2 + n; i < LENGTH; i++) {
      chars[i] = PAD;
    }
    return chars;
  }
}
