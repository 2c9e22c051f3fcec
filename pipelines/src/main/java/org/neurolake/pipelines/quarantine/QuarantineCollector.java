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
 * quarantine breaks its {@link BadRecordPolicy} fails before committing (see {@link #checkWithin}),
 * so no refused record is ever dropped without trace.
 */
public final class QuarantineCollector implements Serializable {
  private final CollectionAccumulator<QuarantineRecord> records;
  private final LongAccumulator quarantined;
  private final LongAccumulator read;
  private final LongAccumulator kept;
  private final BadRecordPolicy policy;
  private final long maxRecords;

  public QuarantineCollector(SparkContext sc, String name, BadRecordPolicy policy) {
    this.records = sc.collectionAccumulator(name + ".quarantine");
    this.quarantined = sc.longAccumulator(name + ".quarantined");
    this.read = sc.longAccumulator(name + ".read");
    this.kept = sc.longAccumulator(name + ".kept");
    this.policy = java.util.Objects.requireNonNull(policy, "policy");
    this.maxRecords = policy.maxBadRecords();
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
   * Throws unless every record read was either kept or quarantined and the counts satisfy the
   * {@link BadRecordPolicy} (a {@link BadInputException} naming {@code inputs} otherwise). Call
   * after the output was staged and before it is committed.
   */
  public void checkWithin(String what, java.util.Collection<String> inputs) {
    long q = quarantinedCount();
    if (readCount() != keptCount() + q) {
      throw new IllegalStateException(what + ": read " + readCount() + " records but kept "
          + keptCount() + " and quarantined " + q + ": records were lost");
    }
    policy.check(what, inputs, readCount(), keptCount(), q, records());
  }
}
