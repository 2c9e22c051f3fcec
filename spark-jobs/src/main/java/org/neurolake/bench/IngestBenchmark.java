package org.neurolake.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.neurolake.jobs.JobRunner;
import org.neurolake.pipelines.table.Lake;
import org.neurolake.pipelines.text.CorpusPreset;
import org.neurolake.pipelines.text.TextCorpusIngestion;
import org.neurolake.pipelines.text.TextInput;
import org.neurolake.pipelines.text.TextSourceSpec;

/**
 * {@code bin/bench ingest}: generates a JSON-lines review corpus (default 1.1 GB, IMDB-like
 * records with HTML entities), then in one run and on the same warm input:
 * <ol>
 *   <li>a bare copy, {@code spark.read.text(in).write.parquet(out)}, the floor any ingestion pays;</li>
 *   <li>our text ingestion (JSON parse, UTF-8 check, sentiment-neuron preprocessing, split, quarantine);</li>
 * </ol>
 * each twice, alternating, keeping each one's best; then our ingestion again in a separate JVM via
 * bin/pipeline with the heap capped well below the input size.
 */
public final class IngestBenchmark {
  private static final String[] WORDS = ("the a and of to is in it this that was movie film as with for but "
      + "on not you are his have one be all at by an who they from so like her just about out if has what some "
      + "there can good when more very even my would no up time which story only really see their had were me "
      + "well than much bad been get great also will other people because most do first how don't made its "
      + "make could way characters after too any then films character think watch seen plot two acting never "
      + "&amp; &quot;best&quot; &#39;worst&#39; <br /><br />").split(" ");

  public static void main(String[] args) throws Exception {
    double targetMb = args.length > 0 ? Double.parseDouble(args[0]) : 1100;
    int capMb = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    Path work = BenchWork.root();
    Path input = work.resolve("corpus");
    long inputBytes = generate(input, (long) (targetMb * 1e6));
    double inputMb = inputBytes / 1e6;
    System.out.printf(Locale.ROOT, "input: %.0f MB of JSON lines in %s%n", inputMb, input);

    SparkSession spark = JobRunner.session("bench ingest");
    TextSourceSpec spec = TextSourceSpec.builder().source("bench").preset(CorpusPreset.IMDB)
        .splitField(null).input(new TextInput(input.toString(), null)).build();
    // Warm-up: JIT and page cache, on one file.
    spark.read().text(input.resolve("part-000.jsonl").toString()).write().mode("overwrite")
        .parquet(work.resolve("warm").toString());

    double copyBest = Double.MAX_VALUE;
    double ingestBest = Double.MAX_VALUE;
    long kept = 0;
    for (int rep = 0; rep < 2; rep++) {
      long t0 = System.nanoTime();
      spark.read().text(input.toString()).write().mode("overwrite").parquet(work.resolve("copy").toString());
      double copyS = (System.nanoTime() - t0) / 1e9;
      copyBest = Math.min(copyBest, copyS);

      long t1 = System.nanoTime();
      TextCorpusIngestion.Result r = TextCorpusIngestion.run(spark, Lake.parse(work.resolve("lake").toString()), spec,
          org.neurolake.pipelines.quarantine.BadRecordPolicy.DEFAULT.withMaxBadRecords(0));
      double ingestS = (System.nanoTime() - t1) / 1e9;
      ingestBest = Math.min(ingestBest, ingestS);
      kept = r.kept();
      System.out.printf(Locale.ROOT, "rep %d: copy %.1f s (%.0f MB/s), ingest %.1f s (%.0f MB/s), %d documents%n",
          rep, copyS, inputMb / copyS, ingestS, inputMb / ingestS, r.kept());
    }
    spark.stop();

    // Capped memory: a fresh JVM whose whole heap (driver and local executor) is far below the input.
    Path pipeline = Path.of(System.getProperty("neurolake.home", ".")).resolve("bin/pipeline");
    List<String> cmd = new ArrayList<>(List.of(pipeline.toString(), "ingest-text", "--driver-memory", capMb + "m",
        "--lake", work.resolve("lake-capped").toString(), "--source", "bench", "--format", "jsonl",
        "--text-field", "text", "--rating-field", "rating", "--label-field", "label", "--max-bad-records", "0",
        "--input", input.toString()));
    long t2 = System.nanoTime();
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (!p.waitFor(60, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("capped-memory ingestion (-Xmx" + capMb + "m) failed with exit "
          + (p.isAlive() ? "timeout" : p.exitValue()));
    }
    double cappedS = (System.nanoTime() - t2) / 1e9;
    System.out.printf(Locale.ROOT, "capped at -Xmx%dm (%.1f%% of the input): %.1f s, %d documents expected%n",
        capMb, 100.0 * capMb / inputMb, cappedS, kept);

    double mbPerS = inputMb / ingestBest;
    double copyMbPerS = inputMb / copyBest;
    System.out.println(new BenchLine("ingest")
        .put("mb_per_s", mbPerS)
        .put("copy_mb_per_s", copyMbPerS)
        .put("ratio_vs_copy", mbPerS / copyMbPerS)
        .put("input_mb", Math.round(inputMb))
        .put("max_heap_mb", capMb));
  }

  /** Writes files of ~64 MB until the corpus reaches {@code bytes}; reuses a complete earlier corpus. */
  static long generate(Path dir, long bytes) throws IOException {
    Path done = dir.resolve("_COMPLETE_" + bytes);
    if (Files.exists(done)) {
      try (var files = Files.list(dir)) {
        return files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).mapToLong(f -> f.toFile().length()).sum();
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
    Files.createFile(done);
    return written;
  }
}
