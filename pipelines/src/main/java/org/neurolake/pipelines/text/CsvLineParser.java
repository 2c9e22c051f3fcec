package org.neurolake.pipelines.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses one CSV record held on a single line (RFC 4180 quoting: fields may be quoted with
 * {@code "}, a quote inside a quoted field is doubled). Records spanning lines are not supported:
 * an unterminated quote is an error.
 */
public final class CsvLineParser {
  private CsvLineParser() {}

  public static List<String> parse(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int i = 0;
    int n = line.length();
    if (n > 0 && line.charAt(n - 1) == '\r') {
      n--;
    }
    boolean fieldStart = true;
    while (i <= n) {
      if (i == n) {
        fields.add(cur.toString());
        break;
      }
      char c = line.charAt(i);
      if (fieldStart && c == '"') {
        i++;
        boolean closed = false;
        while (i < n) {
          char q = line.charAt(i);
          if (q == '"') {
            if (i + 1 < n && line.charAt(i + 1) == '"') {
              cur.append('"');
              i += 2;
            } else {
              closed = true;
              i++;
              break;
            }
          } else {
            cur.append(q);
            i++;
          }
        }
        if (!closed) {
          throw new IllegalArgumentException("unterminated quoted field starting at column " + (fields.size() + 1));
        }
        if (i < n && line.charAt(i) != ',') {
          throw new IllegalArgumentException("unexpected character '" + line.charAt(i)
              + "' after closing quote in column " + (fields.size() + 1));
        }
        fieldStart = false;
        continue;
      }
      if (c == ',') {
        fields.add(cur.toString());
        cur.setLength(0);
        fieldStart = true;
      } else {
        cur.append(c);
        fieldStart = false;
      }
      i++;
    }
    return fields;
  }
}
