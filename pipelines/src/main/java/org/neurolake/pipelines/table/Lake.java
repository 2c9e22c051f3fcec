package org.neurolake.pipelines.table;

import java.net.URI;
import java.util.Objects;
import org.apache.hadoop.fs.Path;

/**
 * The root of the data lake: any Hadoop file system URI ({@code file:///…}, {@code hdfs://nn/…}).
 * Each table lives in {@code <root>/<table name>}.
 */
public record Lake(URI root) {
  public Lake {
    Objects.requireNonNull(root, "root");
    if (root.getScheme() == null) {
      throw new IllegalArgumentException("lake root must be an absolute URI with a scheme: " + root);
    }
  }

  /**
   * Parses a lake location: a URI with a scheme is taken as is; a plain path is resolved against
   * the current directory on the local file system.
   */
  public static Lake parse(String location) {
    return new Lake(HadoopPaths.toUri(location));
  }

  public Path tablePath(TableDef table) {
    return new Path(new Path(root), table.name());
  }

  public Path partitionPath(TableDef table, PartitionKey key) {
    return new Path(tablePath(table), key.relativePath());
  }
}
