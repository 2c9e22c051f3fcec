package org.neurolake.melc;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.neurolake.pipelines.quarantine.BadInputException;

/**
 * One of the small UCI sets of {@code $DATA_ROOT/uci} (numeric features, last column
 * {@code label}, an integer 0..classes-1), read whole. {@code splice} is splice_train.csv and
 * splice_test.csv together (the evaluation cross-validates over both).
 */
public record UciSet(String name, double[][] x, int[] y, int classes) {
  /** The sets of the MELC evaluation, in the order the table prints them. */
  public static final List<String> ALL = List.of("australian", "breast_cancer_wdbc", "breast_cancer_wisconsin_original",
      "diabetes_pima", "heart_statlog", "liver_bupa", "sonar", "splice", "wine");

  public static UciSet read(Path dir, String name) {
    List<Path> files = name.equals("splice")
        ? List.of(dir.resolve("splice_train.csv"), dir.resolve("splice_test.csv"))
        : List.of(dir.resolve(name + ".csv"));
    List<double[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    int width = -1;
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new BadInputException(f + ": no such file (UCI set '" + name + "'; known: " + ALL + ")");
      }
      CsvParserSettings settings = new CsvParserSettings();
      settings.setHeaderExtractionEnabled(true);
      CsvParser parser = new CsvParser(settings);
      try (Reader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
        parser.beginParsing(in);
        String[] header = parser.getRecordMetadata().headers();
        if (header == null || header.length < 2 || !header[header.length - 1].equals("label")) {
          throw new BadInputException(f + ": the header's last column must be 'label', got " + Arrays.toString(header));
        }
        if (width >= 0 && header.length - 1 != width) {
          throw new BadInputException(f + ": " + (header.length - 1) + " features, the set's first file has " + width);
        }
        width = header.length - 1;
        String[] rec;
        while ((rec = parser.parseNext()) != null) {
          long line = parser.getContext().currentLine();
          if (rec.length != header.length) {
            throw new BadInputException(f + " line " + line + ": " + rec.length + " fields, header has " + header.length);
          }
          double[] row = new double[width];
          try {
            for (int i = 0; i < width; i++) {
              row[i] = Double.parseDouble(rec[i]);
            }
            int label = Integer.parseInt(rec[width]);
            if (label < 0) {
              throw new NumberFormatException("negative label " + label);
            }
            labels.add(label);
          } catch (NumberFormatException | NullPointerException e) {
            throw new BadInputException(f + " line " + line + ": not numeric: " + Arrays.toString(rec), e);
          }
          rows.add(row);
        }
      } catch (IOException e) {
        throw new BadInputException(f + ": cannot read: " + e.getMessage(), e);
      }
    }
    int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
    int classes = Arrays.stream(y).max().orElse(-1) + 1;
    if (classes < 2) {
      throw new BadInputException(files.get(0) + ": fewer than two classes");
    }
    return new UciSet(name, rows.toArray(new double[0][]), y, classes);
  }
}
