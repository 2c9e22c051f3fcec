package org.neurolake.pipelines.spikes;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.neurolake.pipelines.quarantine.BadInputException;

/** Reads one binary recording file from any Hadoop file system. Runs inside a Spark task. */
public interface RecordingReader extends Serializable {
  RecordingRead read(Configuration conf, Path file) throws IOException;

  /** MAT v5, streamed from the file system (mfl-core reads the whole file into memory). */
  static RecordingReader mat(MatSpikeReader.Layout layout, double binMs, RecordingLimits limits, long maxFileBytes) {
    new MatSpikeReader(layout, binMs, limits); // validates the bin width on the driver
    return (conf, file) -> {
      FileSystem fs = file.getFileSystem(conf);
      checkSize(fs, file, maxFileBytes);
      try (InputStream in = fs.open(file)) {
        return new MatSpikeReader(layout, binMs, limits).read(file.toString(), in);
      }
    };
  }

  /** NWB/HDF5; jhdf needs random access, so non-local files are first copied to a local temp file. */
  static RecordingReader nwb(double binMs, String conditionColumn, RecordingLimits limits, long maxFileBytes) {
    return (conf, file) -> {
      FileSystem fs = file.getFileSystem(conf);
      checkSize(fs, file, maxFileBytes);
      NwbSpikeReader reader = new NwbSpikeReader(binMs, conditionColumn, limits, maxFileBytes / 8);
      if ("file".equals(fs.getUri().getScheme())) {
        return reader.read(file.toString(), java.nio.file.Path.of(file.toUri()));
      }
      java.nio.file.Path tmp = Files.createTempFile("nwb-", ".h5");
      try {
        fs.copyToLocalFile(false, file, new Path(tmp.toUri()), true);
        return reader.read(file.toString(), tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    };
  }

  private static void checkSize(FileSystem fs, Path file, long maxFileBytes) throws IOException {
    long len = fs.getFileStatus(file).getLen();
    if (len > maxFileBytes) {
      throw new BadInputException(file + " has " + len + " bytes, more than the limit of " + maxFileBytes);
    }
  }
}
