package org.neurolake.sentiment;

import java.util.Locale;

/**
 * How a labeled source is split for the probe. {@link #FIXED}: the source's own train/dev/test
 * splits, C chosen on dev (SST). {@link #HELD_OUT}: a training set and a test set (no dev; e.g.
 * IMDB's train and test sets, or two sources), C chosen by inner cross-validation on the training
 * set. {@link #KFOLD}: no official split (the classic one-file-per-class tasks): stratified k-fold
 * cross-validation over every labeled example, C chosen inside each training part.
 */
public enum ProbeProtocol {
  FIXED, HELD_OUT, KFOLD;

  public static ProbeProtocol parse(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "fixed" -> FIXED;
      case "held-out", "heldout" -> HELD_OUT;
      case "kfold", "k-fold", "cv" -> KFOLD;
      default -> throw new IllegalArgumentException("unknown protocol '" + s + "' (fixed, held-out, kfold)");
    };
  }

  /** Its label in the evaluations' split column: {@code fixed}, {@code held-out} or {@code 10-fold}. */
  public String label(int folds) {
    return switch (this) {
      case FIXED -> "fixed";
      case HELD_OUT -> "held-out";
      case KFOLD -> folds + "-fold";
    };
  }
}
