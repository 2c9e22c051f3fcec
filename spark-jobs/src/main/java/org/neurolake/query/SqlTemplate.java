package org.neurolake.query;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL text with named parameters written {@code ${name}} inside a string literal, e.g.
 * {@code WHERE run_id = '${run_id}'}. {@link #render} substitutes each with its value escaped for a
 * single-quoted Spark SQL literal, so a value can never end the literal. Every parameter the text
 * uses must be given, and every value given must be used: a misspelt name fails instead of
 * silently matching nothing.
 */
public record SqlTemplate(String source, String text) {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

  public SqlTemplate {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      throw new IllegalArgumentException("the query from " + source + " is empty");
    }
  }

  /** The parameter names the text uses, in order of first use. */
  public Set<String> parameters() {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** The SQL with every parameter replaced by its escaped value. */
  public String render(Map<String, String> values) {
    Set<String> missing = new TreeSet<>(parameters());
    missing.removeAll(values.keySet());
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("the query from " + source + " needs "
          + String.join(" ", missing.stream().map(n -> "--param " + n + "=VALUE").toList()));
    }
    Set<String> unused = new TreeSet<>(values.keySet());
    unused.removeAll(parameters());
    if (!unused.isEmpty()) {
      throw new IllegalArgumentException("the query from " + source + " has no parameter " + String.join(", ", unused)
          + (parameters().isEmpty() ? " (it takes none)" : " (it takes " + String.join(", ", parameters()) + ")"));
    }
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(escape(values.get(m.group(1)))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** A value as the inside of a single-quoted Spark SQL string literal. */
  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("'", "\\'");
  }
}
