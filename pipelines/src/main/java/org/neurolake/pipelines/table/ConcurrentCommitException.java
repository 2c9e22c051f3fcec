package org.neurolake.pipelines.table;

/** Another committer held a partition's commit lock (see {@link PartitionCommitter}); nothing was changed. */
public class ConcurrentCommitException extends IllegalStateException {
  public ConcurrentCommitException(String message) {
    super(message);
  }
}
