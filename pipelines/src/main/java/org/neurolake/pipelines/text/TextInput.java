package org.neurolake.pipelines.text;

import java.io.Serializable;
import java.util.Objects;

/**
 * One input path (a file, directory or glob; any Hadoop URI) and, optionally, the split all its
 * records belong to (e.g. SST's train/dev/test files).
 */
public record TextInput(String path, Split split) implements Serializable {
  public TextInput {
    Objects.requireNonNull(path, "path");
  }

  /** Parses {@code path} or {@code split=path}. */
  public static TextInput parse(String spec) {
    int eq = spec.indexOf('=');
    if (eq > 0 && !spec.substring(0, eq).contains("/") && !spec.substring(0, eq).contains(":")) {
      return new TextInput(spec.substring(eq + 1), Split.parse(spec.substring(0, eq)));
    }
    return new TextInput(spec, null);
  }
}
