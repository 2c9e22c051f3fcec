package org.neurolake.pipelines.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.commons.lang3.StringUtils;
import org.apache.commons.text.StringEscapeUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;

/** Opens any Hadoop path for reading, decompressing by file extension (.gz, .bz2, …). */
public final class LineReaders {
  private LineReaders() {}

  public static InputStream open(Configuration conf, Path path) throws IOException {
    FileSystem fs = path.getFileSystem(conf);
    InputStream raw = fs.open(path);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    return codec == null ? raw : codec.createInputStream(raw);
  }

  public static BufferedReader openText(Configuration conf, Path path) throws IOException {
    return openText(conf, path, StandardCharsets.UTF_8);
  }

  /** A reader of {@code path} in {@code charset}; undecodable bytes fail the read (never replaced). */
  public static BufferedReader openText(Configuration conf, Path path, Charset charset) throws IOException {
    return new BufferedReader(new InputStreamReader(open(conf, path), charset.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
  }

  /** The first line of a (possibly compressed) UTF-8 text file, or null when it is empty. */
  public static String firstLine(Configuration conf, Path path) throws IOException {
    return firstLine(conf, path, StandardCharsets.UTF_8);
  }

  /** The first line of a (possibly compressed) text file in {@code charset}, or null when it is empty. */
  public static String firstLine(Configuration conf, Path path, Charset charset) throws IOException {
    try (BufferedReader r = openText(conf, path, charset)) {
      return r.readLine();
    }
  }

  /**
   * A line as an error message shows it: escaped and cut to 80 characters, since the first line of
   * a binary file given by mistake can be long and hold control characters.
   */
  public static String shown(String line) {
    return line == null ? "null" : StringUtils.abbreviate(StringEscapeUtils.escapeJava(line), 80);
  }
}
