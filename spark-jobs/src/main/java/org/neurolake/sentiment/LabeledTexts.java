package org.neurolake.sentiment;

import java.util.List;

/** One split's labeled documents as their UTF-8 bytes, for the bag-of-words and byte n-gram baselines. */
public record LabeledTexts(List<byte[]> texts, int[] labels) {
  public LabeledTexts {
    if (texts.size() != labels.length || labels.length == 0) {
      throw new IllegalArgumentException("need as many (> 0) texts as labels, got " + texts.size() + " and "
          + labels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException("text " + i + " has label " + labels[i] + "; the baselines are binary");
      }
    }
    texts = List.copyOf(texts);
    labels = labels.clone();
  }

  @Override
  public int[] labels() {
    return labels.clone();
  }

  public int size() {
    return labels.length;
  }
}
