package org.neurolake.pipelines.spikes;

import static org.apache.spark.sql.functions.col;

import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;

/** The ingestion tests' view of spike_trials: one session's trials by trial number. */
final class IngestedTrials {
  private IngestedTrials() {}

  static Map<Integer, SpikeTrial> of(SparkSession spark, Lake lake, String session) {
    return TableReader.read(spark, lake, LakeTables.SPIKE_TRIALS).where(col(Columns.SESSION).equalTo(session))
        .collectAsList().stream().map(SpikeTrial::fromRow).collect(Collectors.toMap(SpikeTrial::trial, t -> t));
  }
}
