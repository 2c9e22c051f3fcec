package org.neurolake.query;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Prints query results. {@link ResultFormat#TABLE}: columns padded to their widest value, numbers
 * (and their headers) right-aligned, nulls as {@code NULL}. {@link ResultFormat#CSV}: a header, fields quoted when they
 * hold a comma, quote or line break, nulls empty. Values print as Java prints them (doubles
 * exactly), arrays as {@code [a, b]}, binary as its length.
 */
public final class ResultPrinter {
  private final ResultFormat format;

  public ResultPrinter(ResultFormat format) {
    this.format = format;
  }

  public void print(StructType schema, List<Row> rows, PrintStream out) {
    List<String> header = List.of(schema.fieldNames());
    List<List<String>> cells = new ArrayList<>();
    for (Row r : rows) {
      List<String> line = new ArrayList<>();
      for (int i = 0; i < schema.size(); i++) {
        line.add(r.isNullAt(i) ? null : text(r, i, schema.fields()[i].dataType()));
      }
      cells.add(line);
    }
    if (format == ResultFormat.CSV) {
      out.println(String.join(",", header.stream().map(ResultPrinter::csv).toList()));
      for (List<String> line : cells) {
        out.println(String.join(",", line.stream().map(v -> v == null ? "" : csv(v)).toList()));
      }
      return;
    }
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> line : cells) {
        width[i] = Math.max(width[i], display(line.get(i)).length());
      }
    }
    boolean[] numeric = new boolean[header.size()];
    for (int i = 0; i < numeric.length; i++) {
      numeric[i] = schema.fields()[i].dataType() instanceof NumericType;
    }
    out.println(line(header, width, numeric));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(rule);
    for (List<String> line : cells) {
      out.println(line(line.stream().map(ResultPrinter::display).toList(), width, numeric));
    }
    out.println("(" + rows.size() + " row" + (rows.size() == 1 ? "" : "s") + ")");
  }

  private static String line(List<String> values, int[] width, boolean[] rightAligned) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      String v = values.get(i);
      String pad = " ".repeat(width[i] - v.length());
      b.append(i == 0 ? "" : " | ").append(rightAligned[i] ? pad + v : i == width.length - 1 ? v : v + pad);
    }
    return b.toString();
  }

  private static String display(String v) {
    return v == null ? "NULL" : v.replace("\n", "\\n").replace("\r", "\\r");
  }

  private static String text(Row r, int i, DataType type) {
    if (type instanceof ArrayType) {
      return r.getList(i).toString();
    }
    if (type instanceof BinaryType) {
      return "<" + ((byte[]) r.get(i)).length + " bytes>";
    }
    return String.valueOf(r.get(i));
  }

  private static String csv(String v) {
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
