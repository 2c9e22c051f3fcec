package org.neurolake.model.lm;

import java.util.List;
import java.util.Objects;

/**
 * The character-CNN word input of Kim, Jernite, Sontag and Rush (2016) as used by Jozefowicz et al.
 * (2016): each word's characters ({@link #BEGIN_OF_WORD}, its UTF-8 bytes, {@link #END_OF_WORD},
 * padded with {@link #PADDING} to {@code maxWordLength}) are embedded, convolved with filters of
 * several widths (tanh), max-pooled over positions, passed through highway layers (ReLU, transform
 * bias -2) and projected to the LSTM's input size.
 *
 * @param maxWordLength characters per word, markers included (the paper: 50)
 * @param charEmbedding width of the character embedding
 * @param widths convolution widths, each <= maxWordLength
 * @param filters filters per width, same length as {@code widths}
 * @param highwayLayers highway layers after the pooling (0 = none)
 */
public record CharCnn(int maxWordLength, int charEmbedding, List<Integer> widths, List<Integer> filters,
    int highwayLayers) implements java.io.Serializable {
  /** Byte values 0..255 are a word's UTF-8 bytes; these three follow them. */
  public static final int BEGIN_OF_WORD = 256;
  public static final int END_OF_WORD = 257;
  public static final int PADDING = 258;
  /** Symbols of the character embedding: 256 bytes and the three markers. */
  public static final int CHAR_VOCABULARY = 259;
  /** The paper's cut. */
  public static final int MAX_WORD_LENGTH = 50;

  public static final int DEFAULT_CHAR_EMBEDDING = 15;
  /** Kim et al.'s small model: widths 1..6 with 25 x width filters. */
  public static final List<Integer> DEFAULT_WIDTHS = List.of(1, 2, 3, 4, 5, 6);
  public static final List<Integer> DEFAULT_FILTERS = List.of(25, 50, 75, 100, 125, 150);
  public static final int DEFAULT_HIGHWAY_LAYERS = 1;

  public CharCnn {
    Objects.requireNonNull(widths, "widths");
    Objects.requireNonNull(filters, "filters");
    widths = List.copyOf(widths);
    filters = List.copyOf(filters);
    if (maxWordLength < 3 || maxWordLength > MAX_WORD_LENGTH) {
      throw new IllegalArgumentException("maxWordLength must be in [3, " + MAX_WORD_LENGTH + "] (two markers and a "
          + "byte at least), got " + maxWordLength);
    }
    if (charEmbedding < 1 || highwayLayers < 0) {
      throw new IllegalArgumentException("need charEmbedding >= 1 and highwayLayers >= 0, got " + charEmbedding + ", "
          + highwayLayers);
    }
    if (widths.isEmpty() || widths.size() != filters.size()) {
      throw new IllegalArgumentException("need one filter count per convolution width, got widths " + widths
          + " and filters " + filters);
    }
    for (int i = 0; i < widths.size(); i++) {
      if (widths.get(i) < 1 || widths.get(i) > maxWordLength || filters.get(i) < 1) {
        throw new IllegalArgumentException("width " + widths.get(i) + " with " + filters.get(i) + " filters: need "
            + "1 <= width <= maxWordLength (" + maxWordLength + ") and >= 1 filter");
      }
    }
  }

  public static CharCnn defaults() {
    return new CharCnn(MAX_WORD_LENGTH, DEFAULT_CHAR_EMBEDDING, DEFAULT_WIDTHS, DEFAULT_FILTERS,
        DEFAULT_HIGHWAY_LAYERS);
  }

  /** The pooled features' width: the sum of the filter counts (also the highway layers' width). */
  public int pooledWidth() {
    return filters.stream().mapToInt(Integer::intValue).sum();
  }
}
