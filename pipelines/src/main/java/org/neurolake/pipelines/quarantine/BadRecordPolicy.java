package org.neurolake.pipelines.quarantine;

import java.io.Serializable;
import java.util.Collection;

/**
 * How much bad input an ingestion job accepts before it commits nothing. Every ingestion job (text
 * and spikes) checks its counts against one such policy after staging its output and before
 * committing it, so a run that fails the policy leaves the existing partition untouched.
 *
 * @param maxBadRecords the most records that may be refused
 * @param maxBadFraction the largest share of the records read that may be refused, in [0, 1]
 * @param allowEmptyReplace whether a run that keeps no record may commit an empty partition (over
 *     the existing one, if any); without it such a run is bad input
 */
public record BadRecordPolicy(long maxBadRecords, double maxBadFraction, boolean allowEmptyReplace)
    implements Serializable {
  /** The jobs' defaults: 100,000 refused records, 10% of those read, no empty replacement. */
  public static final BadRecordPolicy DEFAULT = new BadRecordPolicy(100_000, 0.1, false);

  public BadRecordPolicy {
    if (maxBadRecords < 0) {
      throw new IllegalArgumentException("--max-bad-records must be >= 0: " + maxBadRecords);
    }
    if (!(maxBadFraction >= 0 && maxBadFraction <= 1)) {
      throw new IllegalArgumentException("--max-bad-fraction must be in [0, 1]: " + maxBadFraction);
    }
  }

  /** This policy with another count limit. */
  public BadRecordPolicy withMaxBadRecords(long n) {
    return new BadRecordPolicy(n, maxBadFraction, allowEmptyReplace);
  }

  /** This policy with another share limit. */
  public BadRecordPolicy withMaxBadFraction(double f) {
    return new BadRecordPolicy(maxBadRecords, f, allowEmptyReplace);
  }

  /** This policy, allowing (or not) a run that keeps nothing to commit an empty partition. */
  public BadRecordPolicy withAllowEmptyReplace(boolean allow) {
    return new BadRecordPolicy(maxBadRecords, maxBadFraction, allow);
  }

  /**
   * Throws a {@link BadInputException} (one line naming {@code inputs}) when {@code quarantined}
   * exceeds either limit or when nothing was kept and {@link #allowEmptyReplace} is off.
   *
   * @param what what the job was doing, e.g. {@code ingesting imdb}
   * @param first the first refused records, quoted in the message
   */
  public void check(String what, Collection<String> inputs, long read, long kept, long quarantined,
      Collection<QuarantineRecord> first) {
    String in = " in " + String.join(", ", inputs);
    String untouched = "; nothing committed, the existing partition is kept";
    if (quarantined > maxBadRecords) {
      throw new BadInputException(what + ": " + quarantined + " records refused, more than the limit of "
          + maxBadRecords + " (raise --max-bad-records if that is expected)" + in + untouched + ". First ones: "
          + first.stream().limit(5).toList());
    }
    if (read > 0 && quarantined > maxBadFraction * read) {
      throw new BadInputException(what + ": " + quarantined + " of " + read + " records refused ("
          + percent(quarantined, read) + "), more than --max-bad-fraction " + maxBadFraction + in + untouched
          + ". First ones: " + first.stream().limit(5).toList());
    }
    if (kept == 0 && !allowEmptyReplace) {
      throw new BadInputException(what + ": no good record" + in + " (" + read + " read, " + quarantined
          + " refused)" + untouched + " (--allow-empty-replace commits an empty partition)");
    }
  }

  private static String percent(long part, long whole) {
    return String.format(java.util.Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }
}
