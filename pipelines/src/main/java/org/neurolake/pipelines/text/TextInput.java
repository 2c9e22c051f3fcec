package org.neurolake.pipelines.text;

import java.io.Serializable;
import java.util.Objects;

/**
 * One input path (a file, directory or glob; any Hadoop URI) and, optionally, the split and the
 * label all its records get: SST's train/dev/test files, or the classic sentence-classification
 * tasks' one file per class (e.g. {@code rt-polarity.pos}, {@code rt-polarity.neg}).
 *
 * @param split the split of every record of the input, or null (from a field or the hash splitter)
 * @param label the label of every record of the input, or null (from a field, or none)
 */
public record TextInput(String path, Split split, Integer label) implements Serializable {
  public TextInput {
    Objects.requireNonNull(path, "path");
    if (path.isBlank()) {
      throw new IllegalArgumentException("an input needs a path");
    }
  }

  /** An input whose records all belong to {@code split} (null: none given), without a label. */
  public TextInput(String path, Split split) {
    this(path, split, null);
  }

  /**
   * Parses the {@code --input} forms: {@code PATH}; {@code SPLIT=PATH} (e.g. {@code train=a.csv});
   * and {@code KEY=VALUE[,KEY=VALUE]:PATH} with keys {@code label} (an integer) and {@code split},
   * e.g. {@code label=1:pos.txt} or {@code label=0,split=test:neg-test.txt}. The options end at the
   * first colon, so the path may itself be a URI ({@code label=1:hdfs://nn/pos.txt}).
   */
  public static TextInput parse(String spec) {
    if (spec.startsWith("label=") || spec.startsWith("split=")) {
      int colon = spec.indexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException("input '" + spec + "': options end with ':' before the path,"
            + " e.g. label=1:pos.txt");
      }
      Split split = null;
      Integer label = null;
      for (String option : spec.substring(0, colon).split(",")) {
        int eq = option.indexOf('=');
        String key = eq < 0 ? option : option.substring(0, eq);
        String value = eq < 0 ? "" : option.substring(eq + 1);
        switch (key) {
          case "label" -> {
            if (label != null) {
              throw new IllegalArgumentException("input '" + spec + "' gives the label twice");
            }
            try {
              label = Integer.valueOf(value.trim());
            } catch (NumberFormatException e) {
              throw new IllegalArgumentException("input '" + spec + "': label '" + value + "' is not an integer", e);
            }
          }
          case "split" -> {
            if (split != null) {
              throw new IllegalArgumentException("input '" + spec + "' gives the split twice");
            }
            split = Split.parse(value);
          }
          default -> throw new IllegalArgumentException("input '" + spec + "': unknown option '" + key
              + "' (label=INT, split=train|dev|test)");
        }
      }
      return new TextInput(spec.substring(colon + 1), split, label);
    }
    int eq = spec.indexOf('=');
    if (eq > 0 && !spec.substring(0, eq).contains("/") && !spec.substring(0, eq).contains(":")) {
      return new TextInput(spec.substring(eq + 1), Split.parse(spec.substring(0, eq)));
    }
    return new TextInput(spec, null);
  }
}
