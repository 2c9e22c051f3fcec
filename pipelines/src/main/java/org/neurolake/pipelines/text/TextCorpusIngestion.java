package org.neurolake.pipelines.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.neurolake.pipelines.io.InputFiles;
import org.neurolake.pipelines.io.LineReaders;
import org.neurolake.pipelines.io.TaskLines;
import org.neurolake.pipelines.quarantine.BadInputException;
import org.neurolake.pipelines.quarantine.BadRecordPolicy;
import org.neurolake.pipelines.quarantine.QuarantineCollector;
import org.neurolake.pipelines.quarantine.QuarantineRecord;
import org.neurolake.pipelines.quarantine.QuarantineWriter;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.PartitionCommitter;
import org.neurolake.pipelines.table.PartitionKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Ingests one text source into its {@code documents} partition ({@code source=<name>}), with its
 * refused records in {@code quarantine/table=documents/dataset=<name>}.
 *
 * <p>Lines are read with Hadoop's {@link TextInputFormat}: plain files are split across tasks,
 * compressed ones are decompressed by extension. A record's location is the byte offset of its
 * line in the (decompressed) file, which is also part of its doc_id. A corrupt compressed stream
 * (e.g. a truncated gzip) ends that file with one quarantine row; the records before it are kept.
 */
public final class TextCorpusIngestion {
  private static final Logger LOG = LoggerFactory.getLogger(TextCorpusIngestion.class);

  private TextCorpusIngestion() {}

  public record Result(long read, long kept, long quarantined, Path documents, Path quarantine) {}

  /** What each task needs to know of a file: its split and label (from its input) and, for CSV, its header columns. */
  private record FileInfo(String name, Split split, Integer label, DocumentParser.CsvColumns csv)
      implements java.io.Serializable {}

  public static Result run(SparkSession spark, Lake lake, TextSourceSpec spec, BadRecordPolicy policy) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration conf = jsc.hadoopConfiguration();
    Map<String, FileInfo> files = resolveFiles(conf, spec);

    QuarantineCollector quarantine = new QuarantineCollector(jsc.sc(), "documents." + spec.source(), policy);
    Broadcast<Map<String, FileInfo>> fileInfo = jsc.broadcast(files);
    @SuppressWarnings("unchecked")
    JavaNewHadoopRDD<LongWritable, Text> lines = (JavaNewHadoopRDD<LongWritable, Text>) jsc.newAPIHadoopFile(
        String.join(",", files.keySet()), TextInputFormat.class, LongWritable.class, Text.class, splitConf(spark, conf));
    JavaRDD<Row> rows = lines.mapPartitionsWithInputSplit(
        (split, it) -> new DocumentRows(spec, fileInfo.value(), split, it, quarantine.sink()), true);
    Dataset<Row> df = spark.createDataFrame(rows, LakeTables.DOCUMENTS.dataSchema());

    PartitionCommitter committer = new PartitionCommitter(conf);
    long t0 = System.nanoTime();
    PartitionCommitter.Staged docs = committer.stage(df, lake, LakeTables.DOCUMENTS,
        PartitionKey.of(LakeTables.DOCUMENTS, spec.source()));
    LOG.info("{}: staged {} documents from {} file(s) in {} s", spec.source(), quarantine.keptCount(), files.size(),
        String.format("%.2f", (System.nanoTime() - t0) / 1e9));
    PartitionCommitter.Staged bad;
    try {
      // An empty, truncated or mislabelled input must not replace a source's documents with nothing.
      quarantine.checkWithin("ingesting " + spec.source(), files.keySet());
      bad = QuarantineWriter.stage(spark, committer, lake, LakeTables.DOCUMENTS, spec.source(), quarantine.records());
    } catch (RuntimeException e) {
      docs.abort();
      throw e;
    }
    List<Path> committed = PartitionCommitter.commitAll(bad, docs);
    Path q = committed.get(0);
    Path d = committed.get(1);
    LOG.info("{}: committed documents and {} quarantined record(s); {} s in all", spec.source(),
        quarantine.quarantinedCount(), String.format("%.2f", (System.nanoTime() - t0) / 1e9));
    return new Result(quarantine.readCount(), quarantine.keptCount(), quarantine.quarantinedCount(), d, q);
  }

  /**
   * Splits of Spark's own file-source size ({@code spark.sql.files.maxPartitionBytes}, 128 MB by
   * default) rather than the local file system's 32 MB blocks: fewer, fuller tasks.
   */
  private static Configuration splitConf(SparkSession spark, Configuration conf) {
    Configuration c = new Configuration(conf);
    long bytes = spark.sessionState().conf().filesMaxPartitionBytes();
    c.setLong(org.apache.hadoop.mapreduce.lib.input.FileInputFormat.SPLIT_MINSIZE, bytes);
    return c;
  }

  private static Map<String, FileInfo> resolveFiles(Configuration conf, TextSourceSpec spec) {
    Map<String, FileInfo> files = new HashMap<>();
    for (TextInput input : spec.inputs()) {
      for (Path p : InputFiles.expand(conf, input.path())) {
        DocumentParser.CsvColumns csv = null;
        if (spec.format() == TextFormat.CSV) {
          try {
            String header = LineReaders.firstLine(conf, p, spec.inputCharset());
            if (header == null) {
              throw new BadInputException(p + ": empty CSV file, a header line was expected");
            }
            csv = DocumentParser.CsvColumns.fromHeader(header, spec, p.toString());
          } catch (java.nio.charset.CharacterCodingException e) {
            throw new BadInputException(p + ": the CSV header is not valid " + spec.inputCharset().name()
                + " (see --charset)", e);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read the header of " + p, e);
          } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
          }
        }
        FileInfo prev = files.put(p.toString(), new FileInfo(p.getName(), input.split(), input.label(), csv));
        if (prev != null) {
          throw new BadInputException("file " + p + " is named by more than one input");
        }
      }
    }
    return files;
  }

  /**
   * Turns a task's lines into document rows, quarantining the bad ones. A refused record's
   * location is {@code line L (byte B)} when the task reads its file from the start (every file
   * below the split size, every compressed file), else {@code byte B} (a task in the middle of a
   * large file does not know how many lines came before).
   */
  private static final class DocumentRows implements Iterator<Row> {
    private final TaskLines lines;
    private final QuarantineCollector.TaskSink sink;
    private final DocumentParser parser;
    private final String file;
    private final boolean skipHeader;
    private final boolean fromStart;
    private long lineNumber;
    private Row next;

    DocumentRows(TextSourceSpec spec, Map<String, FileInfo> files, InputSplit split,
        Iterator<Tuple2<LongWritable, Text>> lines, QuarantineCollector.TaskSink sink) {
      this.file = ((FileSplit) split).getPath().toString();
      this.fromStart = ((FileSplit) split).getStart() == 0;
      FileInfo info = files.get(file);
      if (info == null) {
        throw new IllegalStateException("split of unknown file " + file + "; known: " + files.keySet());
      }
      this.lines = new TaskLines(lines);
      this.sink = sink;
      this.parser = new DocumentParser(spec, info.name(), info.split(), info.label(), info.csv());
      this.skipHeader = spec.format() == TextFormat.CSV;
    }

    @Override
    public boolean hasNext() {
      while (next == null && lines.hasNext()) {
        TaskLines.Line line = lines.next();
        if (line.broken()) {
          sink.read();
          sink.refuse(new QuarantineRecord(file, "after byte " + line.offset(), line.brokenReason(), null));
          continue;
        }
        lineNumber++;
        if (skipHeader && line.offset() == 0) {
          continue;
        }
        sink.read();
        try {
          Document d = parser.parse(line.offset(), line.bytes(), line.length());
          sink.kept();
          next = RowFactory.create(d.docId(), d.split().value(), d.textBytes(), d.textBytes().length,
              d.rating(), d.label());
        } catch (RecordException e) {
          String at = fromStart ? "line " + lineNumber + " (byte " + line.offset() + ")" : "byte " + line.offset();
          sink.refuse(QuarantineRecord.ofBytes(file, at, e.getMessage(), line.bytes(), line.length()));
        }
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row r = next;
      next = null;
      return r;
    }
  }

  /** The files a spec names, for callers that want to report them. */
  public static List<String> files(Configuration conf, TextSourceSpec spec) {
    return List.copyOf(resolveFiles(conf, spec).keySet());
  }
}
