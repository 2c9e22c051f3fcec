package org.neurolake.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small files of reports on any Hadoop file system: written whole or not at all, read if present. */
public final class ReportFiles {
  private ReportFiles() {}

  /** Writes {@code bytes} to a hidden temporary file beside {@code target}, then renames it into place. */
  public static Path writeAtomically(Configuration conf, Path target, byte[] bytes) {
    try {
      FileSystem fs = target.getFileSystem(conf);
      fs.mkdirs(target.getParent());
      Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
      try (OutputStream o = fs.create(tmp, true)) {
        o.write(bytes);
      }
      if (fs.exists(target) && !fs.delete(target, false)) {
        throw new IOException("cannot replace " + target);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename " + tmp + " -> " + target + " failed");
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + target + " failed", e);
    }
  }

  public static Path writeAtomically(Configuration conf, Path target, String utf8) {
    return writeAtomically(conf, target, utf8.getBytes(StandardCharsets.UTF_8));
  }

  /** The file's text, or empty when it does not exist. */
  public static Optional<String> readUtf8(Configuration conf, Path file) {
    try {
      FileSystem fs = file.getFileSystem(conf);
      if (!fs.exists(file)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(file)) {
        return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " failed", e);
    }
  }

  /** Visible entries of {@code dir} whose names end with {@code suffix}, by name; none when it does not exist. */
  public static List<Path> list(Configuration conf, Path dir, String suffix, boolean directories) {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      List<Path> found = new ArrayList<>();
      if (fs.exists(dir)) {
        for (FileStatus s : fs.listStatus(dir)) {
          String name = s.getPath().getName();
          if (s.isDirectory() == directories && name.endsWith(suffix) && !name.startsWith(".") && !name.startsWith("_")) {
            found.add(s.getPath());
          }
        }
      }
      found.sort(java.util.Comparator.comparing(Path::getName));
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("listing " + dir + " failed", e);
    }
  }

  public static boolean exists(Configuration conf, Path p) {
    try {
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach " + p, e);
    }
  }
}
