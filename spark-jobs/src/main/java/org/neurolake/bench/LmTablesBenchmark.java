package org.neurolake.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.neurolake.jobs.JobRunner;
import org.neurolake.pipelines.lm.TokenStreams;
import org.neurolake.pipelines.lm.Tokenization;
import org.neurolake.pipelines.lm.VocabularyBuilder;
import org.neurolake.pipelines.table.Lake;

/**
 * {@code bin/bench lm-tables [TOKENS] [REPETITIONS]}: generates a corpus of Zipf-distributed words (exponent 1 over
 * 1 M word types, sentences of 5-40 words, as tokenized text in four equal quarters of
 * {@code TOKENS} words each, default 50 M), then times tokenize + build-vocab (top 100 k words) +
 * token streams (64 streams of 35-token chunks) on one quarter (1×) and on all four (4×), in one
 * JVM, after an unmeasured warm-up on one eighth of the 1× corpus; both scales run
 * {@code REPETITIONS} times (default 5) in rotated order ({@link RotatedRepetitions}), and
 * scaling_4x = time(4×) / time(1×) of each repetition (linear: 4), published with its spread. The
 * heap peak is the JVM's (in local mode the driver and the executors share it), measured over each
 * run after a GC; the largest of the repetitions is reported.
 */
public final class LmTablesBenchmark {
  static final int WORD_TYPES = 1_000_000;
  static final int FILES_PER_QUARTER = 8;
  static final long MAX_WORDS = 100_000;
  static final int STREAMS = 64;
  static final int CHUNK = 35;

  public static void main(String[] args) throws Exception {
    long tokens = args.length > 0 ? Long.parseLong(args[0]) : 50_000_000L;
    Path work = BenchWork.root().resolve("lm-tables");
    Path corpus = work.resolve("corpus-" + tokens);
    generate(corpus, tokens);
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : RotatedRepetitions.MIN_REPETITIONS;
    SparkSession spark = JobRunner.session("bench lm-tables");
    // Warm-up (JIT, Spark's first jobs) on one eighth of the 1x corpus, not measured.
    time(spark, work.resolve("lake-warmup"), corpus.resolve("q0").resolve("part-000.txt").toString());
    Map<String, RotatedRepetitions.Scenario<Scale>> scales = new LinkedHashMap<>();
    scales.put("1x", rep -> time(spark, work.resolve("lake-1x"), corpus.resolve("q0").toString()));
    scales.put("4x", rep -> time(spark, work.resolve("lake-4x"), corpus.resolve("q*").toString()));
    Map<String, List<Scale>> runs = RotatedRepetitions.run(repetitions, scales);
    spark.stop();
    List<Scale> one = runs.get("1x");
    List<Scale> four = runs.get("4x");
    double[] seconds1 = one.stream().mapToDouble(Scale::seconds).toArray();
    double[] seconds4 = four.stream().mapToDouble(Scale::seconds).toArray();
    System.out.println(new BenchLine("lm-tables")
        .put("tokens", one.get(0).tokens())
        .put("tokens_per_s", one.get(0).tokens() / Spread.of(seconds1).median())
        .put("tokens_4x", four.get(0).tokens())
        .put("tokens_per_s_4x", four.get(0).tokens() / Spread.of(seconds4).median())
        .put("seconds_1x", Spread.of(seconds1).median())
        .put("seconds_4x", Spread.of(seconds4).median())
        .put("scaling_4x", Spread.ofRatios(seconds4, seconds1))
        .put("heap_peak_mb_1x", one.stream().mapToDouble(Scale::heapPeakMb).max().orElseThrow())
        .put("heap_peak_mb_4x", four.stream().mapToDouble(Scale::heapPeakMb).max().orElseThrow())
        .put("repetitions", repetitions));
  }

  record Scale(long tokens, double seconds, double heapPeakMb) {}

  static Scale time(SparkSession spark, Path lakeDir, String input) throws IOException {
    BenchWork.deleteTree(lakeDir);
    Lake lake = Lake.parse(lakeDir.toString());
    System.gc();
    List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).toList();
    heap.forEach(MemoryPoolMXBean::resetPeakUsage);
    long t0 = System.nanoTime();
    Tokenization.run(spark, lake, "zipf", List.of(new Tokenization.SplitInput("train", input)));
    VocabularyBuilder.Result v = VocabularyBuilder.run(spark, lake,
        new VocabularyBuilder.Config("zipf", "top100k", "train", MAX_WORDS));
    TokenStreams.Result s = TokenStreams.run(spark, lake,
        new TokenStreams.Config("zipf", "top100k", "train", STREAMS, CHUNK));
    double seconds = (System.nanoTime() - t0) / 1e9;
    double peakMb = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() / 1e6;
    System.out.printf(Locale.ROOT, "%s: %d tokens (<eos> included) in %.1f s (%.0f tokens/s), %d chunks,"
        + " vocabulary %d, heap peak %.0f MB%n", input, s.tokens(), seconds, s.tokens() / seconds,
        s.chunks(), v.words(), peakMb);
    return new Scale(s.tokens(), seconds, peakMb);
  }

  /** Four quarters (q0..q3) of {@code tokens} words each; reuses a complete earlier corpus. */
  static void generate(Path dir, long tokens) throws IOException {
    Path done = dir.resolve("_COMPLETE");
    if (Files.exists(done)) {
      return;
    }
    BenchWork.deleteTree(dir);
    double[] cdf = new double[WORD_TYPES];
    double sum = 0;
    for (int r = 0; r < WORD_TYPES; r++) {
      sum += 1.0 / (r + 1);
      cdf[r] = sum;
    }
    SplittableRandom rng = new SplittableRandom(42);
    StringBuilder line = new StringBuilder(512);
    for (int q = 0; q < 4; q++) {
      Path quarter = Files.createDirectories(dir.resolve("q" + q));
      for (int f = 0; f < FILES_PER_QUARTER; f++) {
        long fileTokens = tokens / FILES_PER_QUARTER + (f < tokens % FILES_PER_QUARTER ? 1 : 0);
        Path file = quarter.resolve(String.format(Locale.ROOT, "part-%03d.txt", f));
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file),
            StandardCharsets.UTF_8), 1 << 20)) {
          long written = 0;
          while (written < fileTokens) {
            int n = (int) Math.min(5 + rng.nextInt(36), fileTokens - written);
            line.setLength(0);
            for (int i = 0; i < n; i++) {
              int idx = java.util.Arrays.binarySearch(cdf, rng.nextDouble() * sum);
              int rank = idx >= 0 ? idx : Math.min(-idx - 1, WORD_TYPES - 1);
              line.append(' ').append('w').append(Integer.toString(rank, 36));
            }
            line.append('\n');
            w.write(line.toString());
            written += n;
          }
        }
      }
    }
    Files.createFile(done);
  }
}
