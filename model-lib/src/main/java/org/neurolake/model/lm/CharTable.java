package org.neurolake.model.lm;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The characters of every word id for the character CNN, as the {@code vocab_chars} table holds
 * them ({@link CharCnn#BEGIN_OF_WORD}, the word's UTF-8 bytes, {@link CharCnn#END_OF_WORD},
 * {@link CharCnn#PADDING}), each padded (or cut) to {@code length}.
 */
public final class CharTable implements Serializable {
  private static final long serialVersionUID = 1L;
  private final int length;
  private final int[][] chars;

  private CharTable(int[][] chars, int length) {
    this.chars = chars;
    this.length = length;
  }

  /** Builds the table of {@code vocabSize} words, {@code length} characters each, from rows (id, chars). */
  public static Builder builder(int vocabSize, int length) {
    return new Builder(vocabSize, length);
  }

  public int length() {
    return length;
  }

  public int vocabSize() {
    return chars.length;
  }

  /** Word {@code id}'s characters (do not modify). */
  int[] chars(int id) {
    return chars[id];
  }

  public static final class Builder {
    private final int length;
    private final int[][] chars;

    private Builder(int vocabSize, int length) {
      if (vocabSize < 1 || length < 3) {
        throw new IllegalArgumentException("need vocabSize >= 1 and length >= 3, got " + vocabSize + ", " + length);
      }
      this.length = length;
      this.chars = new int[vocabSize][];
    }

    /** Word {@code id}'s characters; more than {@code length} are cut, fewer padded. */
    public Builder put(int id, int[] wordChars) {
      if (id < 0 || id >= chars.length) {
        throw new IllegalArgumentException("word id " + id + " outside the vocabulary of " + chars.length);
      }
      if (chars[id] != null) {
        throw new IllegalArgumentException("word id " + id + " has two character rows");
      }
      int[] row = new int[length];
      Arrays.fill(row, CharCnn.PADDING);
      for (int k = 0; k < Math.min(length, wordChars.length); k++) {
        int c = wordChars[k];
        if (c < 0 || c >= CharCnn.CHAR_VOCABULARY) {
          throw new IllegalArgumentException("word id " + id + ": character " + c + " is not in 0.."
              + (CharCnn.CHAR_VOCABULARY - 1));
        }
        row[k] = c;
      }
      chars[id] = row;
      return this;
    }

    public CharTable build() {
      for (int id = 0; id < chars.length; id++) {
        if (chars[id] == null) {
          throw new IllegalArgumentException("word id " + id + " has no character row (of " + chars.length + ")");
        }
      }
      return new CharTable(chars, length);
    }
  }
}
