package org.neurolake.pipelines.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.table.HadoopPaths;

/** Expands input locations (files, directories, globs; any Hadoop URI) into qualified file paths. */
public final class InputFiles {
  private InputFiles() {}

  public static List<Path> expand(Configuration conf, String location) {
    Path pattern = new Path(HadoopPaths.toUri(location));
    try {
      FileSystem fs = pattern.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(pattern);
      if (matches == null || matches.length == 0) {
        throw new BadInputException("input " + location + " matches no file");
      }
      List<Path> out = new ArrayList<>();
      for (FileStatus m : matches) {
        if (m.isDirectory()) {
          RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
          while (it.hasNext()) {
            LocatedFileStatus f = it.next();
            if (!isHidden(f.getPath())) {
              out.add(fs.makeQualified(f.getPath()));
            }
          }
        } else {
          out.add(fs.makeQualified(m.getPath()));
        }
      }
      if (out.isEmpty()) {
        throw new BadInputException("input " + location + " holds no file");
      }
      out.sort(null);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list input " + location, e);
    }
  }

  private static boolean isHidden(Path p) {
    String n = p.getName();
    return n.startsWith("_") || n.startsWith(".");
  }
}
