package org.neurolake.pipelines.spikes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.StreamSupport;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.Optional;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.neurolake.pipelines.io.InputFiles;
import org.neurolake.pipelines.io.LineReaders;
import org.neurolake.pipelines.io.TaskLines;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.quarantine.BadRecordPolicy;
import org.neurolake.pipelines.quarantine.QuarantineCollector;
import org.neurolake.pipelines.quarantine.QuarantineRecord;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionKey;
import org.neurolake.pipelines.text.RecordException;
import scala.Tuple2;

/**
 * Ingests a sparse spike-event recording (events CSV + trial table) as one session of
 * {@code spike_trials}, binned at a chosen width. Events are parsed and binned in parallel, summed
 * per (trial, neuron, bin), and assembled into one dense matrix per trial; trials without events
 * become all-zero matrices. Refused event lines and trials whose event total disagrees with the
 * trial table's {@code total_spikes} go to the quarantine.
 */
public final class SpikeEventIngestion {
  private SpikeEventIngestion() {}

  public record Result(long events, long badEvents, long trials, long badTrials, Path path) {}

  public static Result run(SparkSession spark, Lake lake, String session, String eventsLocation,
      String trialsLocation, double binMs, RecordingLimits limits, BadRecordPolicy policy) {
    return run(spark, lake, session, eventsLocation, trialsLocation, TrialColumns.DEFAULT, binMs, limits, policy);
  }

  /** As above, with the trial table's columns found under {@code trialColumns}. */
  public static Result run(SparkSession spark, Lake lake, String session, String eventsLocation,
      String trialsLocation, TrialColumns trialColumns, double binMs, RecordingLimits limits, BadRecordPolicy policy) {
    long maxBadRecords = policy.maxBadRecords();
    PartitionKey.requireSafe(session);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = jsc.hadoopConfiguration();
    List<Path> trialFiles = InputFiles.expand(conf, trialsLocation);
    if (trialFiles.size() != 1) {
      throw new BadInputException(trialsLocation + " names " + trialFiles.size() + " files, expected one trial table");
    }
    Map<Integer, TrialTable.Trial> table = TrialTable.read(conf, trialFiles.get(0), binMs, limits,
        trialColumns);
    List<Path> eventFiles = InputFiles.expand(conf, eventsLocation);
    for (Path p : eventFiles) {
      try {
        String header = LineReaders.firstLine(conf, p);
        if (header == null || !header.strip().equals(SpikeEvent.HEADER)) {
          throw new BadInputException(p + ": header is '" + LineReaders.shown(header) + "', expected '"
              + SpikeEvent.HEADER + "'");
        }
      } catch (java.io.IOException e) {
        throw new BadInputException("cannot read " + p + ": " + e.getMessage(), e);
      }
    }
    Broadcast<Map<Integer, TrialTable.Trial>> trials = jsc.broadcast(table);

    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> lines = (JavaNewHadoopRDD<LongWritable, Text>) jsc.newAPIHadoopFile(
        String.join(",", eventFiles.stream().map(Path::toString).toList()), TextInputFormat.class,
        LongWritable.class, Text.class, conf);
    JavaRDD<SpikeEvent> events = lines.mapPartitionsWithInputSplit((split, it) -> {
      String file = ((FileSplit) split).getPath().toString();
      return new EventIterator(file, it, trials.value(), binMs);
    }, true).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      long nEvents = events.count();
      JavaRDD<SpikeEvent> badRdd = events.filter(e -> !e.ok());
      List<QuarantineRecord> bad = new ArrayList<>();
      badRdd.take((int) Math.min(Integer.MAX_VALUE - 1, maxBadRecords + 1)).forEach(e -> bad.add(e.refusal()));
      long nBad = bad.size() <= maxBadRecords ? bad.size() : badRdd.count();

      QuarantineCollector quarantine = new QuarantineCollector(jsc.sc(), "spike_trials." + session, policy);
      JavaPairRDD<Long, Integer> cells = events.filter(SpikeEvent::ok)
          .mapToPair(e -> new Tuple2<>(((long) e.trial() << 32) | e.cell(), e.count()))
          .reduceByKey(Integer::sum);
      JavaPairRDD<Integer, Iterable<Tuple2<Integer, Integer>>> byTrial = cells
          .mapToPair(kv -> new Tuple2<>((int) (kv._1() >>> 32), new Tuple2<>((int) (long) kv._1(), kv._2())))
          .groupByKey();
      List<Tuple2<Integer, Boolean>> ids = table.keySet().stream().map(t -> new Tuple2<>(t, true)).toList();
      String trialFile = trialFiles.get(0).toString();
      JavaRDD<Row> rows = jsc.parallelizePairs(ids, Math.max(1, Math.min(ids.size() / 64, 200)))
          .leftOuterJoin(byTrial)
          .mapPartitions(it -> {
            // A lazy stream: each row is made when the writer asks for it (see TrialRows).
            TrialRows toRows = new TrialRows(trials.value(), quarantine.sink(), trialFile, binMs, limits);
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED), false)
                .map(toRows::row).filter(Objects::nonNull).iterator();
          });
      // Event-level refusals join the trial-level ones in one quarantine partition.
      quarantine.addRefusedOnDriver(bad, nBad);
      List<String> inputs = new ArrayList<>(eventFiles.stream().map(Path::toString).toList());
      inputs.add(trialFile);
      Path p = SpikeTrialsCommit.commit(spark, lake, session, inputs,
          spark.createDataFrame(rows, LakeTables.SPIKE_TRIALS.dataSchema()), quarantine);
      return new Result(nEvents, nBad, quarantine.keptCount(), quarantine.quarantinedCount() - nBad, p);
    } finally {
      events.unpersist(false);
    }
  }

  /**
   * Turns a partition's trials into rows one at a time, as the writer asks for them: a task holds
   * one trial's counts, not its partition's, and checks that trial against its memory budget
   * before allocating it.
   */
  private static final class TrialRows {
    private final Map<Integer, TrialTable.Trial> trials;
    private final QuarantineCollector.TaskSink sink;
    private final String trialFile;
    private final double binMs;
    private final RecordingLimits limits;

    TrialRows(Map<Integer, TrialTable.Trial> trials, QuarantineCollector.TaskSink sink, String trialFile,
        double binMs, RecordingLimits limits) {
      this.trials = trials;
      this.sink = sink;
      this.trialFile = trialFile;
      this.binMs = binMs;
      this.limits = limits;
    }

    /** The trial's row, or null when its events disagree with the trial table (then it is quarantined). */
    Row row(Tuple2<Integer, Tuple2<Boolean, Optional<Iterable<Tuple2<Integer, Integer>>>>> kv) {
      TrialTable.Trial t = trials.get(kv._1());
      long nCells = (long) t.nNeurons() * t.nBins();
      limits.checkMemory(trialFile + " trial " + t.trial(), 0, nCells);
      int[] counts = new int[(int) nCells];
      long total = 0;
      if (kv._2()._2().isPresent()) {
        for (Tuple2<Integer, Integer> c : kv._2()._2().get()) {
          counts[c._1()] += c._2();
          total += c._2();
        }
      }
      sink.read();
      if (t.totalSpikes() != null && t.totalSpikes() != total) {
        sink.refuse(new QuarantineRecord(trialFile, "trial " + t.trial(), "the trial table says "
            + t.totalSpikes() + " spikes but its accepted events hold " + total, null));
        return null;
      }
      sink.kept();
      return new SpikeTrial(t.trial(), t.condition(), t.nNeurons(), t.nBins(), binMs, counts, t.info()).toRow();
    }
  }

  /** Parses a task's event lines; the header line at offset 0 is skipped. */
  private static final class EventIterator implements Iterator<SpikeEvent> {
    private final String file;
    private final TaskLines lines;
    private final Map<Integer, TrialTable.Trial> trials;
    private final double binMs;
    private SpikeEvent next;

    EventIterator(String file, Iterator<Tuple2<LongWritable, Text>> lines, Map<Integer, TrialTable.Trial> trials,
        double binMs) {
      this.file = file;
      this.lines = new TaskLines(lines);
      this.trials = trials;
      this.binMs = binMs;
    }

    @Override
    public boolean hasNext() {
      while (next == null && lines.hasNext()) {
        TaskLines.Line line = lines.next();
        if (line.broken()) {
          next = refused(new QuarantineRecord(file, "after byte " + line.offset(), line.brokenReason(), null));
        } else if (line.offset() != 0) {
          String s = line.text().toString();
          try {
            next = SpikeEvent.parse(s, trials, binMs);
          } catch (RecordException e) {
            next = refused(QuarantineRecord.ofBytes(file, "byte " + line.offset(), e.getMessage(), line.bytes(),
                line.length()));
          }
        }
      }
      return next != null;
    }

    private static SpikeEvent refused(QuarantineRecord r) {
      return new SpikeEvent(-1, -1, 0, r);
    }

    @Override
    public SpikeEvent next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      SpikeEvent e = next;
      next = null;
      return e;
    }
  }
}
