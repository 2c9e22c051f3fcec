package org.neurolake.pipelines.spikes;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.quarantine.QuarantineCollector;
import org.neurolake.pipelines.quarantine.QuarantineWriter;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;

/** Stages a session's spike_trials rows and its quarantine, checks the counts, commits both. */
final class SpikeTrialsCommit {
  private SpikeTrialsCommit() {}

  static Path commit(SparkSession spark, Lake lake, String session, java.util.Collection<String> inputs,
      Dataset<Row> rows, QuarantineCollector quarantine) {
    PartitionCommitter committer = new PartitionCommitter(spark.sparkContext().hadoopConfiguration());
    PartitionCommitter.Staged trials = committer.stage(rows, lake, LakeTables.SPIKE_TRIALS,
        PartitionKey.of(LakeTables.SPIKE_TRIALS, session));
    PartitionCommitter.Staged bad;
    try {
      quarantine.checkWithin("ingesting session " + session, inputs);
      bad = QuarantineWriter.stage(spark, committer, lake, LakeTables.SPIKE_TRIALS, session, quarantine.records());
    } catch (RuntimeException e) {
      trials.abort();
      throw e;
    }
    return PartitionCommitter.commitAll(bad, trials).get(1);
  }
}
