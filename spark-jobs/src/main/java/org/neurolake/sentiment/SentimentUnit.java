package org.neurolake.sentiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.neurolake.pipelines.io.AtomicFiles;

/**
 * The probe's sentiment unit of a run: the cell-state unit with the largest absolute weight in the
 * chosen L1 probe, its weight and its single-unit threshold (large values mean positive when
 * {@code sign} = +1). Written as {@code sentiment_unit.json} beside the run's checkpoints, where
 * {@code generate --clamp-unit sentiment} reads it.
 */
public record SentimentUnit(String runId, String source, int unit, double weight, double threshold, int sign,
    double testAccuracy) {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  public SentimentUnit {
    if (unit < 0) {
      throw new IllegalArgumentException("unit must be >= 0, got " + unit);
    }
  }

  public static Path path(Path checkpointDir) {
    return new Path(checkpointDir, SentimentModels.SENTIMENT_UNIT_FILE);
  }

  /** Writes the file whole or not at all ({@link AtomicFiles}); a rerun replaces it. */
  public void write(Configuration conf, Path checkpointDir) {
    Path p = path(checkpointDir);
    try {
      AtomicFiles.write(conf, p, JSON.writeValueAsBytes(this));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot serialize " + this, e);
    }
  }

  public static SentimentUnit read(Configuration conf, Path checkpointDir) {
    Path p = path(checkpointDir);
    try {
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new IllegalArgumentException("no " + p.getName() + " in " + checkpointDir
            + ": run probe-sentiment on this run first");
      }
      try (InputStream in = fs.open(p)) {
        return JSON.readValue(in, SentimentUnit.class);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + p, e);
    }
  }
}
