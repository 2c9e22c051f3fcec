package org.neurolake.pipelines.spikes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import org.neurolake.pipelines.io.InputFiles;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.quarantine.BadRecordPolicy;
import org.neurolake.pipelines.quarantine.QuarantineCollector;
import org.neurolake.pipelines.quarantine.QuarantineRecord;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;

/**
 * Ingests one binary recording file (MAT or NWB) as one session of {@code spike_trials}. The file
 * is read inside the task that writes the rows, so nothing passes through the driver.
 */
public final class RecordingIngestion {
  private RecordingIngestion() {}

  public record Result(long trials, long quarantined, Path path) {}

  public static Result run(SparkSession spark, Lake lake, String session, String location,
      RecordingReader reader, BadRecordPolicy policy) {
    PartitionKey.requireSafe(session);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = jsc.hadoopConfiguration();
    List<Path> files = InputFiles.expand(conf, location);
    if (files.size() != 1) {
      throw new BadInputException(location + " names " + files.size() + " files; a session is one file");
    }
    String file = files.get(0).toString();
    Broadcast<SerializableConfiguration> confB = jsc.broadcast(new SerializableConfiguration(conf));
    QuarantineCollector quarantine = new QuarantineCollector(jsc.sc(), "spike_trials." + session, policy);
    JavaRDD<Row> rows = jsc.parallelize(List.of(file), 1).flatMap(f -> {
      QuarantineCollector.TaskSink sink = quarantine.sink();
      RecordingRead read;
      try {
        read = reader.read(confB.value().value(), new Path(f));
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + f + " failed", e);
      }
      for (QuarantineRecord r : read.refused()) {
        sink.read();
        sink.refuse(r);
      }
      // Rows are made as the writer asks for them: the reader's budget covers the trials it holds,
      // not a second, boxed copy of all of them.
      return read.trials().stream().map(t -> {
        sink.read();
        sink.kept();
        return t.toRow();
      }).iterator();
    });
    Path p = SpikeTrialsCommit.commit(spark, lake, session, List.of(file),
        spark.createDataFrame(rows, LakeTables.SPIKE_TRIALS.dataSchema()), quarantine);
    return new Result(quarantine.keptCount(), quarantine.quarantinedCount(), p);
  }
}
