package org.neurolake.report;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * The check every test that reads a plot's PNG makes: it is a PNG of the expected width, and its
 * series are drawn. The project's charts draw axes, grid lines and text in greys on white, and
 * series in saturated colours; a chart whose datasets are empty still shows its legend swatches
 * (in a thin band at the bottom) in those colours. So the check excludes that band and wants
 * series colour in at least {@value #MIN_COLUMNS} columns of the rest: a drawn line or bar.
 */
public final class PlotImages {
  private PlotImages() {}

  static final int MIN_COLUMNS = 40;
  private static final int MAX_LEGEND_ROWS = 40;

  /** Asserts {@code png} is a plot {@code width} pixels wide (0: any) with its series drawn; returns it. */
  public static BufferedImage assertPlotted(Path png, int width) {
    BufferedImage img;
    try {
      img = ImageIO.read(png.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + png, e);
    }
    assertNotNull(img, png + " is a PNG");
    assertTrue(width == 0 || img.getWidth() == width, png + " is " + img.getWidth() + " pixels wide, not " + width);
    int columns = seriesColumns(img);
    assertTrue(columns >= MIN_COLUMNS, png + ": series colour in only " + columns + " columns above the legend"
        + " (an empty plot?)");
    return img;
  }

  /** Asserts {@code png} (a Hadoop path on the local file system) is a plot with its series drawn. */
  public static BufferedImage assertPlotted(org.apache.hadoop.fs.Path png, int width) {
    return assertPlotted(Path.of(png.toUri()), width);
  }

  /**
   * The number of columns with a saturated (series-coloured, not grey) pixel above the legend: the
   * band of at most {@value #MAX_LEGEND_ROWS} rows around the lowest saturated pixel, when there is
   * such a thin band.
   */
  static int seriesColumns(BufferedImage img) {
    boolean[] rowColoured = new boolean[img.getHeight()];
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth() && !rowColoured[y]; x++) {
        rowColoured[y] = saturated(img.getRGB(x, y));
      }
    }
    int bottom = img.getHeight() - 1;
    while (bottom >= 0 && !rowColoured[bottom]) {
      bottom--;
    }
    if (bottom < 0) {
      return 0;
    }
    // Grow the band upwards while a coloured row is at most 4 rows away.
    int top = bottom;
    for (int y = bottom - 1; y >= 0 && y >= top - 4; y--) {
      if (rowColoured[y]) {
        top = y;
      }
    }
    int end = bottom - top < MAX_LEGEND_ROWS ? top : img.getHeight();
    int n = 0;
    for (int x = 0; x < img.getWidth(); x++) {
      for (int y = 0; y < end; y++) {
        if (saturated(img.getRGB(x, y))) {
          n++;
          break;
        }
      }
    }
    return n;
  }

  private static boolean saturated(int rgb) {
    int r = (rgb >> 16) & 0xff;
    int g = (rgb >> 8) & 0xff;
    int b = rgb & 0xff;
    return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60;
  }
}
