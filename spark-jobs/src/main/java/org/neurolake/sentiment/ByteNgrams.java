package org.neurolake.sentiment;

import java.util.ArrayList;
import java.util.List;

/**
 * The byte n-gram baseline's tokens: every run of 1 to {@code maxN} consecutive bytes of a
 * document, written as lowercase hex prefixed by its length (so "61" the 1-gram and "6162" the
 * 2-gram stay distinct whatever the hashing), for MLlib's HashingTF.
 */
public final class ByteNgrams {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private ByteNgrams() {}

  public static List<String> tokens(byte[] text, int maxN) {
    if (maxN < 1) {
      throw new IllegalArgumentException("maxN must be >= 1, got " + maxN);
    }
    List<String> out = new ArrayList<>();
    for (int n = 1; n <= maxN; n++) {
      for (int i = 0; i + n <= text.length; i++) {
        StringBuilder s = new StringBuilder(1 + 2 * n).append(n);
        for (int k = i; k < i + n; k++) {
          s.append(HEX[(text[k] >> 4) & 0xF]).append(HEX[text[k] & 0xF]);
        }
        out.add(s.toString());
      }
    }
    return out;
  }
}
