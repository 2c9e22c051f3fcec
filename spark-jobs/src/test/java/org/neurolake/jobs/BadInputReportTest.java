package org.neurolake.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed input of every reader, run through the job mains' {@link JobRunner}: exit code 2 and
 * exactly one line on stderr, naming the file (issue 14, item 4).
 */
class BadInputReportTest {
  @TempDir static Path dir;

  @AfterAll
  static void stopSpark() {
    SparkSession.getDefaultSession().foreach(s -> {
      s.stop();
      return null;
    });
  }

  private static Path write(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new Random(14).nextBytes(b);
    return b;
  }

  private static byte[] gzip(String text) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
      z.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** Runs the job and checks the report: exit 2, one line, naming {@code file}. */
  private static void assertOneLineNaming(Object job, Path file, String... args) {
    StringWriter out = new StringWriter();
    List<String> all = new ArrayList<>(List.of("--lake", dir.resolve("lake").toString(), "--no-catalog"));
    all.addAll(List.of(args));
    int code = JobRunner.execute(job, new PrintWriter(out, true), all.toArray(String[]::new));
    String err = out.toString();
    List<String> lines = err.lines().toList();
    assertEquals(2, code, err);
    assertEquals(1, lines.size(), err);
    assertTrue(lines.get(0).startsWith("error: "), err);
    assertTrue(lines.get(0).contains(file.getFileName().toString()), err);
  }

  @Test
  void randomBytesGivenAsNwb() throws IOException {
    Path f = write("random.nwb", randomBytes(4096));
    assertOneLineNaming(new IngestSpikesJob(), f, "--format", "nwb", "--session", "nwb", "--input", f.toString());
  }

  @Test
  void textGivenAsMat() throws IOException {
    Path f = write("notes.mat", "these are my notes, not a MAT file\n".repeat(10).getBytes(StandardCharsets.UTF_8));
    assertOneLineNaming(new IngestSpikesJob(), f, "--format", "mat", "--session", "mat", "--input", f.toString());
  }

  @Test
  void truncatedMat() throws IOException {
    byte[] header = new byte[128];
    System.arraycopy("MATLAB 5.0 MAT-file".getBytes(StandardCharsets.US_ASCII), 0, header, 0, 19);
    header[124] = 0x00;
    header[125] = 0x01;
    header[126] = 'I';
    header[127] = 'M';
    byte[] cut = java.util.Arrays.copyOf(header, 140); // a tag that starts and stops
    cut[128] = 14; // miMATRIX, little-endian
    cut[132] = (byte) 0xff; // of 255 bytes, of which 4 are present
    Path f = write("cut.mat", cut);
    assertOneLineNaming(new IngestSpikesJob(), f, "--format", "mat", "--session", "cut", "--input", f.toString());
  }

  @Test
  void garbageEventsCsvAndTrialTables() throws IOException {
    Path trials = write("trials.csv", "trial,condition,n_neurons,n_bins_1ms\n0,a,3,100\n".getBytes(StandardCharsets.UTF_8));
    Path events = write("events.csv", randomBytes(2048));
    assertOneLineNaming(new IngestSpikesJob(), events, "--format", "events_csv", "--session", "ev",
        "--input", events.toString(), "--trials", trials.toString());
    Path goodEvents = write("good-events.csv", "trial,neuron,t_ms,count\n0,1,5,1\n".getBytes(StandardCharsets.UTF_8));
    Path cutTrials = write("cut-trials.csv", "trial,condition,n_neurons,n_bins_1ms\n0,a,3".getBytes(StandardCharsets.UTF_8));
    assertOneLineNaming(new IngestSpikesJob(), cutTrials, "--format", "events_csv", "--session", "ev",
        "--input", goodEvents.toString(), "--trials", cutTrials.toString());
    byte[] gzipped = gzip("trial,condition,n_neurons,n_bins_1ms\n0,a,3,100\n1,b,3,100\n".repeat(20));
    Path cutGzipTrials = write("cut-trials.csv.gz", java.util.Arrays.copyOf(gzipped, gzipped.length / 2));
    assertOneLineNaming(new IngestSpikesJob(), cutGzipTrials, "--format", "events_csv", "--session", "ev",
        "--input", goodEvents.toString(), "--trials", cutGzipTrials.toString());
    Path binaryTrials = write("binary-trials.csv", randomBytes(2048));
    assertOneLineNaming(new IngestSpikesJob(), binaryTrials, "--format", "events_csv", "--session", "ev",
        "--input", goodEvents.toString(), "--trials", binaryTrials.toString());
  }

  @Test
  void garbageTextCorpus() throws IOException {
    Path f = write("reviews.jsonl.gz", randomBytes(2048));
    assertOneLineNaming(new IngestTextJob(), f, "--source", "junk", "--preset", "imdb", "--input", f.toString());
  }

  @Test
  void garbageAndBinaryRunConfigs() throws IOException {
    Path text = write("junk.properties", "this is not a run configuration\n".getBytes(StandardCharsets.UTF_8));
    assertOneLineNaming(new TrainJob(), text, "--family", "mlp", "--dataset", "blobs", "--config", text.toString());
    Path binary = write("binary.properties", randomBytes(512));
    assertOneLineNaming(new TrainJob(), binary, "--family", "mlp", "--dataset", "blobs", "--config", binary.toString());
  }
}
