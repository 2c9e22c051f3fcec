package org.neurolake.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.neurolake.jobs.JobRunner;
import org.neurolake.pipelines.quarantine.BadRecordPolicy;
import org.neurolake.pipelines.table.Columns;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.table.LakeTables;
import org.neurolake.pipelines.table.TableReader;
import org.neurolake.pipelines.text.CorpusPreset;
import org.neurolake.pipelines.text.TextCorpusIngestion;
import org.neurolake.pipelines.text.TextInput;
import org.neurolake.pipelines.text.TextSourceSpec;

/**
 * {@code bin/bench ingest [input-mb] [heap-cap-mb] [repetitions]}: generates a JSON-lines review
 * corpus (default 1.1 GB, IMDB-like records with HTML entities), then in one run and on the same
 * warm input, in rotated order for {@code repetitions} (default 5):
 * <ol>
 *   <li>a bare copy, {@code spark.read.text(in).write.parquet(out)}, the floor any ingestion pays;</li>
 *   <li>our text ingestion (JSON parse, UTF-8 check, sentiment-neuron preprocessing, split, quarantine);</li>
 * </ol>
 * the ratio taken per repetition; then our ingestion again in a separate JVM via bin/pipeline with
 * the heap capped well below the input size, its peak heap read from its own GC log. Every run must
 * keep every generated record (none is malformed), or the benchmark fails.
 */
public final class IngestBenchmark {
  private static final String[] WORDS = ("the a and of to is in it this that was movie film as with for but "
      + "on not you are his have one be all at by an who they from so like her just about out if has what some "
      + "there can good when more very even my would no up time which story only really see their had were me "
      + "well than much bad been get great also will other people because most do first how don't made its "
      + "make could way characters after too any then films character think watch seen plot two acting never "
      + "&amp; &quot;best&quot; &#39;worst&#39; <br /><br />").split(" ");
  /** A G1 pause line of {@code -Xlog:gc}: heap used before -> after (capacity), in MB. */
  private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

  /** A generated corpus: its size and how many records it holds. */
  record Corpus(long bytes, long records) {}

  public static void main(String[] args) throws Exception {
    double targetMb = args.length > 0 ? Double.parseDouble(args[0]) : 1100;
    int capMb = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : RotatedRepetitions.MIN_REPETITIONS;
    Path work = BenchWork.root();
    Path input = work.resolve("corpus");
    Corpus corpus = generate(input, (long) (targetMb * 1e6));
    double inputMb = corpus.bytes() / 1e6;
    System.out.printf(Locale.ROOT, "input: %.0f MB of JSON lines, %d records, in %s%n", inputMb, corpus.records(),
        input);

    SparkSession spark = JobRunner.session("bench ingest");
    TextSourceSpec spec = TextSourceSpec.builder().source("bench").preset(CorpusPreset.IMDB)
        .splitField(null).input(new TextInput(input.toString(), null)).build();
    // Warm-up: JIT and page cache, on one file.
    spark.read().text(input.resolve("part-000.jsonl").toString()).write().mode("overwrite")
        .parquet(work.resolve("warm").toString());

    Map<String, RotatedRepetitions.Scenario<Double>> scenarios = new LinkedHashMap<>();
    scenarios.put("copy", rep -> {
      long t0 = System.nanoTime();
      spark.read().text(input.toString()).write().mode("overwrite").parquet(work.resolve("copy").toString());
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "copy: %.1f s (%.0f MB/s)%n", seconds, inputMb / seconds);
      return seconds;
    });
    scenarios.put("ingest", rep -> {
      long t0 = System.nanoTime();
      TextCorpusIngestion.Result r = TextCorpusIngestion.run(spark, Lake.parse(work.resolve("lake").toString()), spec,
          BadRecordPolicy.DEFAULT.withMaxBadRecords(0));
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "ingest: %.1f s (%.0f MB/s), %d documents kept, %d quarantined%n", seconds,
          inputMb / seconds, r.kept(), r.quarantined());
      requireAllKept("ingestion", corpus, r.kept());
      return seconds;
    });
    Map<String, List<Double>> seconds = RotatedRepetitions.run(repetitions, scenarios);
    double[] copyS = seconds.get("copy").stream().mapToDouble(Double::doubleValue).toArray();
    double[] ingestS = seconds.get("ingest").stream().mapToDouble(Double::doubleValue).toArray();

    // Capped memory: a fresh JVM whose whole heap (driver and local executor) is far below the input.
    Path pipeline = Path.of(System.getProperty("neurolake.home", ".")).resolve("bin/pipeline");
    // bin/pipeline starts more than one JVM (a short one resolves the job first): one log per process.
    Path gcLogs = work.resolve("capped-gc");
    BenchWork.deleteTree(gcLogs);
    Files.createDirectories(gcLogs);
    Path cappedLake = work.resolve("lake-capped");
    List<String> cmd = new ArrayList<>(List.of(pipeline.toString(), "ingest-text", "--driver-memory", capMb + "m",
        "--lake", cappedLake.toString(), "--source", "bench", "--format", "jsonl",
        "--text-field", "text", "--rating-field", "rating", "--label-field", "label", "--max-bad-records", "0",
        "--input", input.toString()));
    ProcessBuilder capped = new ProcessBuilder(cmd).inheritIO();
    capped.environment().put("JAVA_TOOL_OPTIONS", "-Xlog:gc:file=" + gcLogs.resolve("gc-%p.log"));
    long t2 = System.nanoTime();
    Process p = capped.start();
    if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("capped-memory ingestion (-Xmx" + capMb + "m) failed with exit "
          + (p.isAlive() ? "timeout" : p.exitValue()));
    }
    double cappedS = (System.nanoTime() - t2) / 1e9;
    long cappedKept = TableReader.read(spark, Lake.parse(cappedLake.toString()), LakeTables.DOCUMENTS)
        .where(functions.col(Columns.SOURCE).equalTo("bench")).count();
    requireAllKept("capped ingestion", corpus, cappedKept);
    long peakHeapMb = peakHeapMb(gcLogs);
    System.out.printf(Locale.ROOT, "capped at -Xmx%dm (%.1f%% of the input): %.1f s, %d documents, peak heap %d MB"
        + " (largest heap in use before a collection, from %s)%n", capMb, 100.0 * capMb / inputMb, cappedS, cappedKept,
        peakHeapMb, gcLogs);
    spark.stop();

    Spread copyMbPerS = Spread.of(Arrays.stream(copyS).map(x -> inputMb / x).toArray());
    Spread mbPerS = Spread.of(Arrays.stream(ingestS).map(x -> inputMb / x).toArray());
    System.out.println(new BenchLine("ingest")
        .put("mb_per_s", mbPerS.median())
        .put("copy_mb_per_s", copyMbPerS.median())
        .put("ratio_vs_copy", Spread.ofRatios(copyS, ingestS))
        .put("input_mb", Math.round(inputMb))
        .put("max_heap_mb", capMb)
        .put("peak_heap_mb", peakHeapMb)
        .put("records", corpus.records())
        .put("repetitions", repetitions));
  }

  private static void requireAllKept(String what, Corpus corpus, long kept) {
    if (kept != corpus.records()) {
      throw new IllegalStateException(what + " kept " + kept + " of the " + corpus.records()
          + " generated records: a benchmark of a run that loses data measures nothing");
    }
  }

  /** The largest heap in use before any collection in the {@code -Xlog:gc} files of a directory, in MB. */
  static long peakHeapMb(Path gcLogs) throws IOException {
    long peak = -1;
    List<Path> logs;
    try (var files = Files.list(gcLogs)) {
      logs = files.toList();
    }
    for (Path log : logs) {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        Matcher m = GC_HEAP.matcher(line);
        while (m.find()) {
          peak = Math.max(peak, Math.max(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        }
      }
    }
    if (peak < 0) {
      throw new IllegalStateException("no collection logged in " + gcLogs + ": cannot tell the peak heap");
    }
    return peak;
  }

  /**
   * Writes files of ~64 MB until the corpus reaches {@code bytes}; reuses a complete earlier corpus
   * (its marker file holds its record count).
   */
  static Corpus generate(Path dir, long bytes) throws IOException {
    Path done = dir.resolve("_COMPLETE_" + bytes);
    String marker = Files.exists(done) ? Files.readString(done, StandardCharsets.UTF_8).trim() : "";
    if (!marker.isEmpty()) { // an older marker without the count: generate again
      long records = Long.parseLong(marker);
      try (var files = Files.list(dir)) {
        return new Corpus(files.filter(f -> f.getFileName().toString().endsWith(".jsonl"))
            .mapToLong(f -> f.toFile().length()).sum(), records);
      }
    }
    BenchWork.deleteTree(dir);
    Files.createDirectories(dir);
    SplittableRandom rng = new SplittableRandom(42);
    long written = 0;
    int part = 0;
    long id = 0;
    StringBuilder sb = new StringBuilder(8192);
    while (written < bytes) {
      Path f = dir.resolve(String.format(Locale.ROOT, "part-%03d.jsonl", part++));
      long fileBytes = 0;
      try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(f), StandardCharsets.UTF_8), 1 << 20)) {
        while (fileBytes < 64_000_000L && written + fileBytes < bytes) {
          int rating = 1 + rng.nextInt(10);
          sb.setLength(0);
          sb.append("{\"split\": \"train\", \"id\": ").append(id++).append(", \"rating\": ").append(rating)
              .append(", \"label\": ").append(rating >= 7 ? 1 : 0).append(", \"text\": \"");
          int n = 50 + rng.nextInt(400);
          for (int i = 0; i < n; i++) {
            sb.append(WORDS[rng.nextInt(WORDS.length)]).append(i % 17 == 16 ? ". " : " ");
          }
          sb.append("\"}\n");
          String line = sb.toString();
          w.write(line);
          fileBytes += line.length();
        }
      }
      written += fileBytes;
    }
    Files.writeString(done, Long.toString(id), StandardCharsets.UTF_8);
    return new Corpus(written, id);
  }
}
