package org.neurolake.pipelines.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Small files (run records, reports, plots, a probe's chosen unit) on any Hadoop file system,
 * written whole or not at all.
 *
 * <p>Guarantees of {@link #write}: a reader sees the old content or the new, never part of either;
 * the bytes go to a hidden temporary file with a name unique to the call (so concurrent writers of
 * the same target never write into one file), which is then renamed into place. Of concurrent
 * writers, the last rename wins, whole. A failure before the rename leaves the target as it was
 * and removes the temporary file. On file systems whose rename does not replace (HDFS), the old
 * target is deleted just before the rename: a reader in that instant finds no file, never a torn one.
 *
 * <p>On the local file system the files are written and read without Hadoop's {@code .crc}
 * sidecar: the data file and its checksum file are renamed one after the other, so a reader between
 * the two renames would pair new data with an old checksum and fail (seen with concurrent writers).
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes {@code bytes} to {@code target}; returns {@code target}. */
  public static Path write(Configuration conf, Path target, byte[] bytes) {
    try {
      FileSystem fs = fileSystem(conf, target);
      fs.mkdirs(target.getParent());
      Path tmp = new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
      try {
        try (OutputStream o = fs.create(tmp, false)) {
          o.write(bytes);
        }
        if (!fs.rename(tmp, target)) {
          // HDFS's rename does not replace an existing file: remove it, then rename.
          if (fs.exists(target) && !fs.delete(target, false)) {
            throw new IOException("cannot replace " + target);
          }
          if (!fs.rename(tmp, target)) {
            throw new IOException("rename " + tmp + " -> " + target + " failed");
          }
        }
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, false);
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + target + " failed", e);
    }
  }

  public static Path write(Configuration conf, Path target, String utf8) {
    return write(conf, target, utf8.getBytes(StandardCharsets.UTF_8));
  }

  /** The file's bytes, or empty when it does not exist. */
  public static Optional<byte[]> read(Configuration conf, Path file) {
    try {
      FileSystem fs = fileSystem(conf, file);
      if (!fs.exists(file)) {
        return Optional.empty();
      }
      try (InputStream in = fs.open(file)) {
        return Optional.of(in.readAllBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + file + " failed", e);
    }
  }

  private static FileSystem fileSystem(Configuration conf, Path p) throws IOException {
    FileSystem fs = p.getFileSystem(conf);
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /** The file's text, or empty when it does not exist. */
  public static Optional<String> readUtf8(Configuration conf, Path file) {
    return read(conf, file).map(b -> new String(b, StandardCharsets.UTF_8));
  }
}
