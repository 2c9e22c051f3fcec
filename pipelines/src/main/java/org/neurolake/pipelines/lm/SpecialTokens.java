package org.neurolake.pipelines.lm;

import java.util.List;

/**
 * The reserved words of every word vocabulary and their fixed ids: {@code <unk>} (any word outside
 * the vocabulary), {@code <eos>} (end of sentence, appended to every sentence and predicted) and
 * {@code <s>} (sentence begin: a context only, never predicted).
 */
public final class SpecialTokens {
  private SpecialTokens() {}

  public static final String UNK = "<unk>";
  public static final String EOS = "<eos>";
  public static final String BOS = "<s>";

  public static final int UNK_ID = 0;
  public static final int EOS_ID = 1;
  public static final int BOS_ID = 2;

  /** In id order: the special word with id i is at index i. */
  public static final List<String> ALL = List.of(UNK, EOS, BOS);

  public static boolean isSpecial(String word) {
    return ALL.contains(word);
  }
}
