package org.neurolake.pipelines.odm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.neurolake.pipelines.quarantine.BadInputException;

/**
 * The 8x8 handwritten digits (UCI optdigits as in scikit-learn's {@code digits.csv.gz}): gzip CSV,
 * no header, 64 pixel counts 0..16 then the digit. Pixels are scaled to [0, 1].
 */
public record DigitImages(float[] pixels, int[] digits) {
  public static final int PIXELS = 64;
  public static final int CLASSES = 10;

  public int size() {
    return digits.length;
  }

  public static DigitImages read(Path csvGz) {
    List<float[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(csvGz)),
        StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        n++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",");
        if (f.length != PIXELS + 1) {
          throw new BadInputException(csvGz + " line " + n + ": " + f.length + " columns, expected " + (PIXELS + 1));
        }
        float[] px = new float[PIXELS];
        try {
          for (int i = 0; i < PIXELS; i++) {
            px[i] = (float) (Double.parseDouble(f[i].trim()) / 16.0);
          }
          int d = (int) Double.parseDouble(f[PIXELS].trim());
          if (d < 0 || d >= CLASSES) {
            throw new BadInputException(csvGz + " line " + n + ": digit " + d + " outside 0..9");
          }
          labels.add(d);
        } catch (NumberFormatException e) {
          throw new BadInputException(csvGz + " line " + n + ": not a number (" + e.getMessage() + ")", e);
        }
        rows.add(px);
      }
    } catch (IOException e) {
      throw new BadInputException("cannot read digit images " + csvGz + ": " + e.getMessage(), e);
    }
    if (rows.isEmpty()) {
      throw new BadInputException(csvGz + " holds no digit images");
    }
    float[] pixels = new float[rows.size() * PIXELS];
    int[] digits = new int[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      System.arraycopy(rows.get(i), 0, pixels, i * PIXELS, PIXELS);
      digits[i] = labels.get(i);
    }
    return new DigitImages(pixels, digits);
  }
}
