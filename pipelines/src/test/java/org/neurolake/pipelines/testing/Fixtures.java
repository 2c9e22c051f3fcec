package org.neurolake.pipelines.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/** Small input files written by the tests themselves. */
public final class Fixtures {
  private Fixtures() {}

  /** At most {@code n} refused records, whatever their share of those read. */
  public static org.neurolake.pipelines.quarantine.BadRecordPolicy atMost(long n) {
    return org.neurolake.pipelines.quarantine.BadRecordPolicy.DEFAULT.withMaxBadRecords(n).withMaxBadFraction(1);
  }

  public static Path write(Path file, String content) {
    return write(file, content.getBytes(StandardCharsets.UTF_8));
  }

  public static Path write(Path file, byte[] content) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] gzip(String content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(content.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The first {@code fraction} of a gzip stream: a download that broke off. */
  public static byte[] truncated(byte[] gz, double fraction) {
    return Arrays.copyOf(gz, (int) (gz.length * fraction));
  }
}
