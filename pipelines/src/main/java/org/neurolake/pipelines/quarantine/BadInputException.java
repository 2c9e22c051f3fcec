package org.neurolake.pipelines.quarantine;

/** Input that cannot be ingested at all (as opposed to single bad records, which are quarantined). */
public class BadInputException extends RuntimeException {
  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
