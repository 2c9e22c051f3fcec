package org.neurolake.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Listing a report folder on any Hadoop file system (reports are written with {@link org.neurolake.pipelines.io.AtomicFiles}). */
public final class ReportFiles {
  private ReportFiles() {}

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
