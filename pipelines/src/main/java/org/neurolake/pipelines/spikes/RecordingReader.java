package org.neurolake.pipelines.spikes;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.neurolake.pipelines.quarantine.BadInputException;

/** Reads one binary recording file from any Hadoop file system. Runs inside a Spark task. */
public interface RecordingReader extends Serializable {
  RecordingRead read(Configuration conf, Path file) throws IOException;

  /**
   * MAT v5, streamed from the file system twice: its declarations are checked first, then mfl-core
   * reads it (into memory, which the check bounds).
   */
  static RecordingReader mat(MatSpikeReader.Layout layout, double binMs, RecordingLimits limits, long maxFileBytes) {
    new MatSpikeReader(layout, binMs, limits); // validates the bin width on the driver
    return (conf, file) -> {
      FileSystem fs = file.getFileSystem(conf);
      long length = checkSize(fs, file, maxFileBytes);
      return new MatSpikeReader(layout, binMs, limits).read(file.toString(), length, () -> fs.open(file));
    };
  }

  /** NWB/HDF5; jhdf needs random access, so non-local files are first copied to a local temp file. */
  static RecordingReader nwb(double binMs, String conditionColumn, RecordingLimits limits, long maxFileBytes) {
    return nwb(binMs, NwbSpikeReader.ID, conditionColumn, limits, maxFileBytes);
  }

  /** As above, the trial ids in the trials table's {@code trialColumn} (its rows when absent). */
  static RecordingReader nwb(double binMs, String trialColumn, String conditionColumn, RecordingLimits limits,
      long maxFileBytes) {
    return (conf, file) -> {
      FileSystem fs = file.getFileSystem(conf);
      checkSize(fs, file, maxFileBytes);
      NwbSpikeReader reader = new NwbSpikeReader(binMs, trialColumn, conditionColumn, limits, maxFileBytes / 8);
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

  /** The file's length, unless it exceeds {@code maxFileBytes}. */
  private static long checkSize(FileSystem fs, Path file, long maxFileBytes) throws IOException {
    long len = fs.getFileStatus(file).getLen();
    if (len > maxFileBytes) {
      throw new BadInputException(file + " has " + len + " bytes, more than the limit of " + maxFileBytes);
    }
    return len;
  }
}
