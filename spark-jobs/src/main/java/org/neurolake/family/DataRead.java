package org.neurolake.family;

import org.apache.hadoop.fs.Path;

/** A table partition or file a job reads, as {@code --dry-run} lists it. */
public record DataRead(String what, Path path) {}
