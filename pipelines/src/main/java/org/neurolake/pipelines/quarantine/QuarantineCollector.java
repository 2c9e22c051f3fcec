package org.neurolake.pipelines.quarantine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Gathers refused records from Spark tasks, together with counts of what was read and kept, so
 * that a job can prove that {@code read == kept + quarantined}.
 *
 * <p>Update it only inside the tasks of the stage that writes the output (a result stage): Spark
 * applies each successful task's accumulator updates exactly once there, so retried or
 * speculative attempts are not double counted. Records are capped per task; a job whose
 * quarantine exceeds its limit fails before committing (see {@link #checkWithin}), so no
 * refused record is ever dropped without trace.
 */
public final class QuarantineCollector implements Serializable {
  private final CollectionAccumulator<QuarantineRecord> records;
  private final LongAccumulator quarantined;
  private final LongAccumulator read;
  private final LongAccumulator kept;
  private final long maxRecords;

  public QuarantineCollector(SparkContext sc, String name, long maxRecords) {
    if (maxRecords < 0) {
      throw new IllegalArgumentException("maxRecords must be >= 0: " + maxRecords);
    }
    this.records = sc.collectionAccumulator(name + ".quarantine");
    this.quarantined = sc.longAccumulator(name + ".quarantined");
    this.read = sc.longAccumulator(name + ".read");
    this.kept = sc.longAccumulator(name + ".kept");
    this.maxRecords = maxRecords;
  }

  /** Task side: per-task view that stops buffering records past the cap but keeps counting. */
  public TaskSink sink() {
    return new TaskSink();
  }

  public final class TaskSink {
    private long added;

    public void read() {
      read.add(1);
    }

    public void kept() {
      kept.add(1);
    }

    public void refuse(QuarantineRecord r) {
      quarantined.add(1);
      if (added++ <= maxRecords) {
        records.add(r);
      }
    }
  }

  /**
   * Adds refusals found on the driver (e.g. counted exactly by a separate Spark action): each counts
   * as one record read and quarantined. {@code count} may exceed {@code records.size()} when the
   * caller only fetched the first ones; {@link #checkWithin} then fails.
   */
  public void addRefusedOnDriver(List<QuarantineRecord> refused, long count) {
    if (count < refused.size()) {
      throw new IllegalArgumentException("count " + count + " < " + refused.size() + " records");
    }
    refused.forEach(records::add);
    read.add(count);
    quarantined.add(count);
  }

  public long readCount() {
    return read.value();
  }

  public long keptCount() {
    return kept.value();
  }

  public long quarantinedCount() {
    return quarantined.value();
  }

  public List<QuarantineRecord> records() {
    return new ArrayList<>(records.value());
  }

  /**
   * Throws unless the quarantine is within {@code maxRecords} and every record read was either
   * kept or quarantined. Call after the output was staged and before it is committed.
   */
  public void checkWithin(String what) {
    long q = quarantinedCount();
    if (q > maxRecords) {
      List<QuarantineRecord> sample = records().subList(0, (int) Math.min(5, records().size()));
      throw new BadInputException(what + ": " + q + " records refused, more than the limit of "
          + maxRecords + " (raise --max-bad-records if that is expected). First ones: " + sample);
    }
    if (readCount() != keptCount() + q) {
      throw new IllegalStateException(what + ": read " + readCount() + " records but kept "
          + keptCount() + " and quarantined " + q + ": records were lost");
    }
  }
}
