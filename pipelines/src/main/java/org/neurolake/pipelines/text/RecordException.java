package org.neurolake.pipelines.text;

/** One record cannot be ingested; the message says why. The caller quarantines the record. */
public final class RecordException extends Exception {
  public RecordException(String reason) {
    super(reason, null, false, false);
  }
}
