package org.neurolake.pipelines.text;

import java.util.Locale;

/** A data split. Sources name them differently; {@link #parse} maps the usual names. */
public enum Split {
  TRAIN, DEV, TEST;

  private final String value = name().toLowerCase(Locale.ROOT);

  /** The value stored in tables. */
  public String value() {
    return value;
  }

  /** Accepts train/dev/test and the synonyms valid, validation, val. */
  public static Split parse(String s) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "train", "training" -> TRAIN;
      case "dev", "valid", "validation", "val" -> DEV;
      case "test", "testing" -> TEST;
      default -> throw new IllegalArgumentException("unknown split '" + s
          + "' (expected train, dev/valid or test)");
    };
  }
}
